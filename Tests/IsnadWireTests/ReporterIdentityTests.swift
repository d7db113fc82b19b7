import Crypto
import Foundation
import IsnadWire
import Testing

struct ReporterIdentityTests {
    @Test("one master seed gives different keys at two observatories, the same key each time at one")
    func unlinkable() throws {
        let seed = Array(UInt8(100)..<132)
        let first = try ReporterIdentity(masterSeed: seed)
        let second = try ReporterIdentity(masterSeed: seed)
        let atAlpha = first.key(for: Fixtures.alpha.publicKeys).publicKey.rawRepresentation
        let atBeta = first.key(for: Fixtures.beta.publicKeys).publicKey.rawRepresentation
        #expect(atAlpha != atBeta)
        #expect(second.key(for: Fixtures.alpha.publicKeys).publicKey.rawRepresentation == atAlpha)
        #expect(second.key(for: Fixtures.beta.publicKeys).publicKey.rawRepresentation == atBeta)
        #expect(second.masterSeed == seed)
        // Another seed gives another pseudonym at the same observatory.
        var other = seed
        other[0] ^= 1
        #expect(try ReporterIdentity(masterSeed: other).key(for: Fixtures.alpha.publicKeys).publicKey.rawRepresentation != atAlpha)
    }

    @Test("the key is HKDF-SHA256(seed, salt \"isnad reporter key v1\", info log key) as an Ed25519 seed (RFC 5869 by hand)")
    func derivationMatchesDocument() throws {
        let seed = Array(UInt8(0)..<32)
        let logKey = Fixtures.alpha.publicKeys.logKey
        // RFC 5869 §2.2–2.3 with one output block: PRK = HMAC(salt, IKM); OKM = HMAC(PRK, info || 0x01).
        let prk = HMAC<SHA256>.authenticationCode(for: seed, using: SymmetricKey(data: Array("isnad reporter key v1".utf8)))
        let okm = HMAC<SHA256>.authenticationCode(for: Array(logKey.rawRepresentation) + [1], using: SymmetricKey(data: Array(prk)))
        let expected = try Curve25519.Signing.PrivateKey(rawRepresentation: Array(okm)).publicKey
        let derived = try ReporterIdentity(masterSeed: seed).key(for: Fixtures.alpha.publicKeys).publicKey
        #expect(derived.rawRepresentation == expected.rawRepresentation)
    }

    @Test("the HPKE key does not enter the derivation: rotating it keeps the pseudonym")
    func rotationKeepsPseudonym() {
        let rotated = ObservatoryPublicKeys(sealingKey: Fixtures.beta.sealingPrivateKey.publicKey, logKey: Fixtures.alpha.publicKeys.logKey)
        #expect(
            Fixtures.reporter.key(for: rotated).publicKey.rawRepresentation
                == Fixtures.reporter.key(for: Fixtures.alpha.publicKeys).publicKey.rawRepresentation)
    }

    @Test("seeds of the wrong size are refused; descriptions hide secrets")
    func seedsAndDescriptions() throws {
        expectWireError(.invalidKey) { _ = try ReporterIdentity(masterSeed: Array(repeating: 1, count: 31)) }
        expectWireError(.invalidKey) { _ = try ReporterIdentity(masterSeed: Array(repeating: 1, count: 33)) }
        var g = SeededGenerator(seed: 9)
        let identity = ReporterIdentity.generate(using: &g)
        #expect(identity.masterSeed.count == 32)
        #expect(!String(describing: identity).contains(Hex.string(identity.masterSeed)))
        #expect(String(describing: identity) == "ReporterIdentity(<secret>)")
        #expect(String(describing: identity.key(for: Fixtures.alpha.publicKeys)) == "ReporterKey(<secret>)")
        var g2 = SeededGenerator(seed: 9)
        #expect(ReporterIdentity.generate(using: &g2).masterSeed == identity.masterSeed)
    }
}

enum Hex {
    static func string(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
}
