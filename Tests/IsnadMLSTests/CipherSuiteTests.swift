@testable import IsnadMLS
import Testing

/// Cipher-suite operations beyond the official vectors.
struct CipherSuiteTests {
    @Test("X448/Ed448 suites and unknown values are reported as unsupported", arguments: [0x0004, 0x0006, 0x0000, 0x0A0A] as [UInt16])
    func unsupported(_ raw: UInt16) {
        #expect(MLSError.has(.unsupportedCipherSuite) { _ = try CipherSuiteProvider(CipherSuite(rawValue: raw)) })
    }

    @Test("DeriveKeyPair is deterministic and its key pair works for HPKE", arguments: CipherSuite.supported)
    func deriveKeyPair(_ suite: CipherSuite) throws {
        let provider = try CipherSuiteProvider(suite)
        let ikm = [UInt8](repeating: 0x5a, count: provider.hashLength)
        let a = try provider.deriveKeyPair(ikm: ikm), b = try provider.deriveKeyPair(ikm: ikm)
        #expect(a.publicKey == b.publicKey)
        #expect(a.privateKey == b.privateKey)
        #expect(try provider.deriveKeyPair(ikm: ikm + [0]).publicKey != a.publicKey)
        let sealed = try provider.encryptWithLabel(a.publicKey, label: "UpdatePathNode", context: [1], plaintext: [7, 7])
        #expect(try provider.decryptWithLabel(a.privateKey, label: "UpdatePathNode", context: [1], kemOutput: sealed.kemOutput, ciphertext: sealed.ciphertext) == [7, 7])
        #expect(MLSError.has(.decryptionFailed) {
            _ = try provider.decryptWithLabel(a.privateKey, label: "Welcome", context: [1], kemOutput: sealed.kemOutput, ciphertext: sealed.ciphertext)
        })
    }

    @Test("seeded key generation is reproducible", arguments: CipherSuite.supported)
    func seededKeys(_ suite: CipherSuite) throws {
        let provider = try CipherSuiteProvider(suite)
        var g1 = SeededGenerator(seed: 5), g2 = SeededGenerator(seed: 5)
        #expect(provider.generateSignatureKey(using: &g1).publicKey == provider.generateSignatureKey(using: &g2).publicKey)
        #expect(try provider.generateHPKEKeyPair(using: &g1).publicKey == (try provider.generateHPKEKeyPair(using: &g2).publicKey))
    }

    @Test("scalars are range-checked against the group order")
    func scalarRange() {
        #expect(!ECScalar.isValid([UInt8](repeating: 0, count: 32), order: ECScalar.p256Order))
        #expect(!ECScalar.isValid(ECScalar.p256Order, order: ECScalar.p256Order))
        var belowOrder = ECScalar.p256Order
        belowOrder[31] -= 1
        #expect(ECScalar.isValid(belowOrder, order: ECScalar.p256Order))
        #expect(ECScalar.p521Order.count == 66)
        #expect(ECScalar.p384Order.count == 48)
    }

    @Test("the exporter separates labels and contexts")
    func exporter() throws {
        let provider = try CipherSuiteProvider(.x25519AES128GCMSHA256Ed25519)
        let context = GroupContext(cipherSuite: provider.suite, groupID: [1], epoch: 0, treeHash: [], confirmedTranscriptHash: [])
        let epoch = KeySchedule.derive(provider, initSecret: .zero(count: 32), commitSecret: .zero(count: 32), pskSecret: nil, groupContext: context).epoch
        let a = epoch.export(provider, label: "isnad attachment", context: [1], length: 32)
        #expect(a == epoch.export(provider, label: "isnad attachment", context: [1], length: 32))
        #expect(a != epoch.export(provider, label: "isnad attachment", context: [2], length: 32))
        #expect(a != epoch.export(provider, label: "isnad other", context: [1], length: 32))
    }

    @Test("MAC comparison uses constant-time equality and rejects wrong lengths")
    func macs() throws {
        let provider = try CipherSuiteProvider(.x25519AES128GCMSHA256Ed25519)
        let tag = provider.mac(key: [1], data: [2])
        #expect(provider.verifyMAC(key: [1], data: [2], tag: tag))
        #expect(!provider.verifyMAC(key: [1], data: [2], tag: Array(tag.dropLast())))
        #expect(constantTimeEquals(tag, tag))
        #expect(!constantTimeEquals(tag, Array(tag.dropLast())))
    }
}
