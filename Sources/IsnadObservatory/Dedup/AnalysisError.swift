/// The error of the observatory's figures: de-duplication, corroboration, tallies, snapshots and
/// exports. A stable ``code``, a message a person can act on, and the field concerned; never a
/// name, a place or any other report content.
public struct AnalysisError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Stable error codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's text, e.g. `dedup.decision.unknownRecord`.
        public let rawValue: String
        init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A reviewer's decision names a record that is not among the records given.
        public static let unknownRecord = Code("dedup.decision.unknownRecord")
        /// Reviewers' decisions contradict each other (same and different for one pair, or a
        /// chain of "same" that joins two records declared different).
        public static let conflictingDecisions = Code("dedup.decision.conflict")
        /// Snapshot bytes are not a valid canonical encoding.
        public static let malformedSnapshot = Code("snapshot.malformed")
        /// An export or page filter that does not parse (the field names the parameter).
        public static let invalidFilter = Code("export.filter.invalid")
        /// A snapshot of a version this build does not read.
        public static let unsupportedVersion = Code("snapshot.version.unsupported")
    }

    /// What went wrong, as a stable code.
    public let code: Code
    /// A sentence for the person who can fix it.
    public let message: String
    /// The input field or position concerned.
    public let field: String?

    init(_ code: Code, _ message: String, field: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
    }

    public var description: String {
        "\(code): \(message)" + (field.map { " (\($0))" } ?? "")
    }
}
