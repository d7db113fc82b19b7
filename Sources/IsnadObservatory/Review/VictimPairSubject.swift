import IsnadWire

/// How a pair of victim records is named in review decisions and on the command line:
/// `<commitment hex>#<index>` for a record, two of them joined by `|`, lower one first.
public enum VictimPairSubject {
    /// The full text form of a record ID (``VictimRecordID/description`` is a short form for people).
    public static func text(_ id: VictimRecordID) -> String { "\(CommitmentText.hex(id.report))#\(id.index)" }

    /// The subject of a pair, in a fixed order so both directions name one subject.
    public static func text(_ a: VictimRecordID, _ b: VictimRecordID) -> String {
        a < b ? "\(text(a))|\(text(b))" : "\(text(b))|\(text(a))"
    }

    /// Parses a record ID's text form; `nil` for anything else.
    public static func recordID(_ text: String) -> VictimRecordID? {
        let parts = text.split(separator: "#", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 64, parts[0].allSatisfy(\.isHexDigit), parts[1].allSatisfy(\.isNumber), let index = Int(parts[1]), index >= 0,
            let bytes = hexBytes(parts[0]), let commitment = try? ReportCommitment(bytes: bytes)
        else { return nil }
        return VictimRecordID(report: commitment, index: index)
    }

    /// Parses a pair subject back into its records; `nil` for anything else.
    public static func pair(_ subject: String) -> (VictimRecordID, VictimRecordID)? {
        let parts = subject.split(separator: "|", omittingEmptySubsequences: false)
        guard parts.count == 2, let a = recordID(String(parts[0])), let b = recordID(String(parts[1])) else { return nil }
        return (a, b)
    }

    static func hexBytes(_ text: Substring) -> [UInt8]? {
        Hex.decode(String(text).lowercased())
    }
}
