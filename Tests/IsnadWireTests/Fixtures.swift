import Crypto
import Foundation
import IsnadMLS
import IsnadWire

/// An observatory's key pairs, derived from a seed so tests are reproducible.
struct TestObservatory {
    let sealingPrivateKey: Curve25519.KeyAgreement.PrivateKey
    let logPrivateKey: Curve25519.Signing.PrivateKey

    init(seed: UInt8) {
        // Fixed 32-byte strings are valid X25519 and Ed25519 private keys.
        sealingPrivateKey = try! Curve25519.KeyAgreement.PrivateKey(rawRepresentation: Array(repeating: seed, count: 32))
        logPrivateKey = try! Curve25519.Signing.PrivateKey(rawRepresentation: Array(repeating: seed &+ 0x80, count: 32))
    }

    var publicKeys: ObservatoryPublicKeys {
        ObservatoryPublicKeys(sealingKey: sealingPrivateKey.publicKey, logKey: logPrivateKey.publicKey)
    }

    var keyID: ObservatoryKeyID { publicKeys.sealingKeyID }
}

enum Fixtures {
    static let alpha = TestObservatory(seed: 1)
    static let beta = TestObservatory(seed: 2)
    static let reporter = try! ReporterIdentity(masterSeed: Array(0..<32))

    /// `reporter`'s private key at `observatory`, derived by hand (RFC 5869) as docs/reports.md describes.
    static func reporterPrivateKey(for observatory: TestObservatory) -> Curve25519.Signing.PrivateKey {
        let prk = HMAC<SHA256>.authenticationCode(
            for: reporter.masterSeed, using: SymmetricKey(data: Array("isnad reporter key v1".utf8)))
        let okm = HMAC<SHA256>.authenticationCode(
            for: Array(observatory.logPrivateKey.publicKey.rawRepresentation) + [1], using: SymmetricKey(data: Array(prk)))
        return try! Curve25519.Signing.PrivateKey(rawRepresentation: Array(okm))
    }

    /// A report signed by `reporter` for `alpha`.
    static func signedSample(_ report: Report = Arbitrary.sample, for observatory: TestObservatory = alpha) throws -> SignedReport {
        try reporter.key(for: observatory.publicKeys).sign(report, for: observatory.keyID, now: testNow)
    }

    /// The SignedReport encoding of arbitrary bytes, signed as docs/reports.md describes
    /// (independent of ``ReporterKey/sign(_:for:now:)``, so schema-invalid reports can be signed).
    static func signRaw(
        _ reportBytes: [UInt8], key: Curve25519.Signing.PrivateKey, keyID: ObservatoryKeyID, version: UInt16 = 1
    ) throws -> [UInt8] {
        let signature = try key.signature(for: Array("isnad report v1".utf8) + keyID.bytes + reportBytes)
        var encoder = TLSEncoder()
        encoder.write(version)
        encoder.writeOpaque(Array(key.publicKey.rawRepresentation))
        encoder.writeOpaque(reportBytes)
        encoder.writeOpaque(Array(signature))
        return encoder.bytes
    }

    /// Seals arbitrary plaintext exactly as docs/reports.md describes, independently of ``SealedReport/seal(_:to:)``.
    static func sealRaw(_ plaintext: [UInt8], to observatory: TestObservatory) throws -> [UInt8] {
        var header = TLSEncoder()
        header.write(UInt16(1))
        header.write(UInt16(0x0020))
        header.write(UInt16(0x0001))
        header.write(UInt16(0x0003))
        header.writeOpaque(observatory.keyID.bytes)
        var sender = try HPKE.Sender(
            recipientKey: observatory.sealingPrivateKey.publicKey, ciphersuite: .Curve25519_SHA256_ChachaPoly,
            info: Data("isnad sealed report v1".utf8))
        let ciphertext = try sender.seal(plaintext, authenticating: header.bytes)
        var envelope = header
        envelope.writeOpaque(Array(sender.encapsulatedKey))
        envelope.writeOpaque(Array(ciphertext))
        return envelope.bytes
    }
}
