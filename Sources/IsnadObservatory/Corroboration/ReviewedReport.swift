import IsnadWire

/// A report as the figures see it: its commitment (what the log holds), the reporter's
/// pseudonymous key, the content, and the staff's review so far. The review workflow and storage
/// produce these; de-duplication, corroboration and tallies only read them.
public struct ReviewedReport: Sendable {
    /// The report's commitment in the transparency log.
    public let commitment: ReportCommitment
    /// The reporter's pseudonymous Ed25519 public key at this observatory (32 bytes).
    public let reporterKey: [UInt8]
    /// The verified report's content.
    public let report: Report
    /// Whether staff verified the report; only verified reports count in tallies.
    public var isVerified: Bool
    /// Whether staff examined the report's evidence files and found them to support it.
    public var isEvidenceSeen: Bool

    /// Creates a reviewed report.
    public init(commitment: ReportCommitment, reporterKey: [UInt8], report: Report, isVerified: Bool, isEvidenceSeen: Bool = false) {
        self.commitment = commitment
        self.reporterKey = reporterKey
        self.report = report
        self.isVerified = isVerified
        self.isEvidenceSeen = isEvidenceSeen
    }

    /// The named victims of the report, as records for de-duplication.
    public var victimRecords: [VictimRecord] {
        VictimRecord.records(of: report, commitment: commitment, reporterKey: reporterKey)
    }
}

extension ReportCommitment {
    /// Byte order, so every list of commitments has one order. (Not a `Comparable` conformance:
    /// that belongs to IsnadWire, which declares the type.)
    static func byteOrder(_ a: ReportCommitment, _ b: ReportCommitment) -> Bool {
        a.bytes.lexicographicallyPrecedes(b.bytes)
    }
}
