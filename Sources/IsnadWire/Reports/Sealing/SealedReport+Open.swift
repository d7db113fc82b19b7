import Crypto
import Foundation

extension SealedReport {
    /// Decodes, decrypts and verifies sealed bytes as received by an observatory's intake.
    ///
    /// ```
    /// bytes ─▶ size limit ─▶ envelope (version, suite) ─▶ key ID ─▶ HPKE Open ─▶ SignedReport
    ///       ─▶ Ed25519 verify (this key ID) ─▶ Report (canonical, schema) ─▶ not after `now`
    /// ```
    /// - Parameters:
    ///   - bytes: the sealed report.
    ///   - privateKey: the observatory's HPKE private key.
    ///   - now: the current time.
    /// - Returns: the verified report.
    /// - Throws: ``WireError/Code/tooLarge``, ``WireError/Code/malformed``, ``WireError/Code/unsupportedVersion``,
    ///   ``WireError/Code/unsupportedSuite``, ``WireError/Code/wrongObservatory``, ``WireError/Code/decryptionFailed``,
    ///   ``WireError/Code/invalidKey``, ``WireError/Code/invalidSignature``, ``WireError/Code/schemaViolation``,
    ///   ``WireError/Code/futureDate``; never traps.
    public static func open(
        _ bytes: [UInt8], with privateKey: Curve25519.KeyAgreement.PrivateKey, now: Date
    ) throws(WireError) -> VerifiedReport {
        try SealedReport(encoded: bytes).open(with: privateKey, now: now)
    }

    /// Decrypts and verifies this envelope (see ``open(_:with:now:)``).
    public func open(with privateKey: Curve25519.KeyAgreement.PrivateKey, now: Date) throws(WireError) -> VerifiedReport {
        let ownKeyID = ObservatoryKeyID(sealingKey: privateKey.publicKey)
        guard keyID == ownKeyID else {
            throw WireError(
                .wrongObservatory, "the report is sealed to another observatory key; it may be for a rotated key or another observatory",
                field: "SealedReport.key_id", specRule: "docs/reports.md §Sealing")
        }
        let plaintext: Data
        do {
            var recipient = try HPKE.Recipient(
                privateKey: privateKey, ciphersuite: Self.hpkeCiphersuite, info: Data(Self.hpkeInfo),
                encapsulatedKey: Data(encapsulatedKey))
            plaintext = try recipient.open(ciphertext, authenticating: Self.header(keyID: keyID))
        } catch {
            throw WireError(
                .decryptionFailed, "the sealed report does not decrypt: it was altered or truncated in transit",
                field: "SealedReport.ciphertext", specRule: "RFC 9180 §5.2")
        }
        let signed = try SignedReport(encoded: Array(plaintext))
        return try signed.verify(for: keyID, now: now)
    }
}
