import Crypto

/// A report whose reporter signature verified for this observatory and whose content satisfies
/// the schema: the only way to obtain one is ``SignedReport/verify(for:now:)`` or ``SealedReport/open(with:now:)``.
public struct VerifiedReport: Sendable {
    /// The decoded report.
    public let report: Report
    /// The reporter's pseudonymous public key at this observatory.
    public let reporterKey: Curve25519.Signing.PublicKey
    /// The signed report as received; its ``SignedReport/encoded`` bytes are what the commitment hashes.
    public let signedReport: SignedReport
}
