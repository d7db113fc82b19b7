/// What opens a ``ReportCommitment``: the salt and the signed report bytes
/// (docs/reports.md, "Commitment"). The observatory keeps it; publishing it reveals the report.
public struct CommitmentOpening: Hashable, Sendable {
    /// The size of the salt.
    public static let saltByteCount = 32

    /// 32 random bytes chosen by the observatory.
    public let salt: [UInt8]
    /// The ``SignedReport`` encoding, exactly as received.
    public let signedReportBytes: [UInt8]

    /// Creates an opening from stored parts.
    /// - Throws: ``WireError/Code/malformed`` unless the salt has 32 bytes.
    public init(salt: [UInt8], signedReportBytes: [UInt8]) throws(WireError) {
        guard salt.count == Self.saltByteCount else {
            throw WireError.malformed("CommitmentOpening.salt", "a commitment salt has 32 bytes, not \(salt.count)")
        }
        self.salt = salt
        self.signedReportBytes = signedReportBytes
    }

    /// Draws a fresh salt from `generator` for an accepted report; pass `SystemRandomNumberGenerator` outside tests.
    public static func make<R: RandomNumberGenerator>(for signedReport: SignedReport, using generator: inout R) -> CommitmentOpening {
        var salt = [UInt8]()
        while salt.count < saltByteCount {
            withUnsafeBytes(of: generator.next().littleEndian) { salt.append(contentsOf: $0) }
        }
        // The salt has 32 bytes by construction.
        return (try? CommitmentOpening(salt: Array(salt.prefix(saltByteCount)), signedReportBytes: signedReport.encoded))
            ?? { preconditionFailure("a 32-byte salt was rejected") }()
    }

    /// The commitment this opening opens.
    public var commitment: ReportCommitment { ReportCommitment(salt: salt, signedReportBytes: signedReportBytes) }

    /// Checks that this opening opens `commitment`.
    /// - Throws: ``WireError/Code/commitmentMismatch``.
    public func verify(_ commitment: ReportCommitment) throws(WireError) {
        guard ConstantTime.equal(self.commitment.bytes, commitment.bytes) else {
            throw WireError(
                .commitmentMismatch, "the salt and report do not open this commitment; the report or the log entry was altered",
                field: "ReportCommitment", specRule: "docs/reports.md §Commitment")
        }
    }
}
