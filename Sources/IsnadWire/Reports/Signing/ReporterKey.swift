import Crypto
import Foundation

/// A reporter's pseudonymous Ed25519 signing key for one observatory, derived by ``ReporterIdentity``.
public struct ReporterKey: Sendable, CustomStringConvertible {
    let privateKey: Curve25519.Signing.PrivateKey

    init(privateKey: Curve25519.Signing.PrivateKey) { self.privateKey = privateKey }

    /// The public key the observatory sees: the reporter's pseudonym there.
    public var publicKey: Curve25519.Signing.PublicKey { privateKey.publicKey }

    /// Signs a report for one observatory key (docs/reports.md, "Signing"):
    ///
    /// ```
    /// signature = Ed25519-Sign(key, "isnad report v1" || observatory key ID (32) || canonical report bytes)
    /// ```
    /// - Parameters:
    ///   - report: the report; it must satisfy the schema.
    ///   - observatory: the key ID of the observatory it is for.
    ///   - now: the current time; a report dated after it is refused.
    /// - Throws: the errors of ``Report/validate(now:)``, or ``WireError/Code/tooLarge``, as misuse;
    ///   ``WireError/Code/cryptoFailure`` if the provider fails.
    public func sign(_ report: Report, for observatory: ObservatoryKeyID, now: Date) throws(WireError) -> SignedReport {
        try report.validate(now: now)
        let bytes = report.canonicalBytes
        guard bytes.count <= Report.Limits.encodedBytes else {
            throw WireError(
                .tooLarge, kind: .misuse, "the report's encoding exceeds \(Report.Limits.encodedBytes) bytes; shorten it",
                field: "Report", specRule: "docs/reports.md §Limits")
        }
        let signature: Data
        do {
            signature = try privateKey.signature(for: SignedReport.signedMessage(observatory: observatory, report: bytes))
        } catch {
            throw WireError(.cryptoFailure, kind: .internalFailure, "the Ed25519 provider failed to sign", specRule: "RFC 8032 §5.1.6")
        }
        return SignedReport(reporterKey: Array(publicKey.rawRepresentation), reportBytes: bytes, signature: Array(signature))
    }

    /// Never shows the key.
    public var description: String { "ReporterKey(<secret>)" }
}
