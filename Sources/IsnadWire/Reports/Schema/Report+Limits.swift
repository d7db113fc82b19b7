extension Report {
    /// Size limits of schema version 1 (docs/reports.md, "Limits"). Anything larger is rejected,
    /// never truncated.
    public enum Limits {
        /// The largest canonical encoding of a report: 1 MiB.
        public static let encodedBytes = 1 << 20
        /// The largest JSON text accepted: 4 MiB.
        public static let jsonBytes = 4 << 20
        /// The longest name, place name, rank, affiliation or device note, in UTF-8 bytes.
        public static let shortTextBytes = 512
        /// The longest narrative, in UTF-8 bytes.
        public static let narrativeBytes = 256 << 10
        /// The most named victims in one report.
        public static let victims = 5000
        /// The most evidence items in one report.
        public static let evidenceItems = 1000
    }

    /// Checks an optional short text against ``Limits/shortTextBytes``.
    static func checkShortText(_ text: String?, field: String) throws(WireError) {
        guard let text else { return }
        guard text.utf8.count <= Limits.shortTextBytes else {
            throw WireError.schema(field, "the text has \(text.utf8.count) bytes; the limit is \(Limits.shortTextBytes)")
        }
    }
}
