@testable import IsnadMLS
import Crypto
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

    /// `expand` computes outputs of at most `Nh` bytes as HKDF's first HMAC block (sharing one HMAC
    /// key schedule); swift-crypto's own `HKDF.expand` must give the same bytes for every length.
    @Test("HKDF-Expand matches swift-crypto's HKDF for every length up to 2*Nh", arguments: CipherSuite.supported)
    func expandMatchesSwiftCrypto(_ suite: CipherSuite) throws {
        let provider = try CipherSuiteProvider(suite)
        var g = SeededGenerator(seed: 0x4b44_4600 ^ UInt64(suite.rawValue))
        for length in 1...(2 * provider.hashLength) {
            let prk = randomBytes(provider.hashLength, using: &g), info = randomBytes(length % 70, using: &g)
            let reference: [UInt8] = switch provider.hashLength {
            case 32: HKDF<SHA256>.expand(pseudoRandomKey: prk, info: info, outputByteCount: length).withUnsafeBytes { Array($0) }
            case 48: HKDF<SHA384>.expand(pseudoRandomKey: prk, info: info, outputByteCount: length).withUnsafeBytes { Array($0) }
            default: HKDF<SHA512>.expand(pseudoRandomKey: prk, info: info, outputByteCount: length).withUnsafeBytes { Array($0) }
            }
            #expect(provider.expand(prk: prk, info: info, length: length) == reference, "length \(length)")
        }
    }

    /// The many-recipient sender is Isnad's own composition of HPKE (RFC 9180 §5.1); swift-crypto's
    /// `HPKE.Recipient` (behind `decryptWithLabel`) must open everything it seals.
    @Test("EncryptWithLabel to many recipients opens with swift-crypto's HPKE, in order, under the same label and context only",
          arguments: CipherSuite.supported)
    func manyRecipients(_ suite: CipherSuite) throws {
        let provider = try CipherSuiteProvider(suite)
        var g = SeededGenerator(seed: UInt64(suite.rawValue))
        // Enough recipients for the parallel path on any core count up to 8.
        let pairs = try (0..<(ParallelWork.minimumItemsPerChunk * 8 + 3)).map { _ in try provider.generateHPKEKeyPair(using: &g) }
        let plaintexts = pairs.indices.map { [UInt8](repeating: UInt8($0), count: 1 + $0 % 40) }
        let context = randomBytes(3000, using: &g)
        let sealed = try provider.encryptWithLabel(pairs.map(\.publicKey), label: "Welcome", context: context, plaintexts: plaintexts)
        #expect(sealed.count == pairs.count)
        #expect(Set(sealed.map(\.kemOutput)).count == pairs.count)  // a fresh ephemeral key each
        for (index, pair) in pairs.enumerated() {
            let opened = try provider.decryptWithLabel(pair.privateKey, label: "Welcome", context: context,
                                                       kemOutput: sealed[index].kemOutput, ciphertext: sealed[index].ciphertext)
            #expect(opened == plaintexts[index])
        }
        #expect(MLSError.has(.decryptionFailed) {
            _ = try provider.decryptWithLabel(pairs[0].privateKey, label: "UpdatePathNode", context: context,
                                              kemOutput: sealed[0].kemOutput, ciphertext: sealed[0].ciphertext)
        })
        #expect(MLSError.has(.decryptionFailed) {
            _ = try provider.decryptWithLabel(pairs[1].privateKey, label: "Welcome", context: context + [0],
                                              kemOutput: sealed[1].kemOutput, ciphertext: sealed[1].ciphertext)
        })
        #expect(MLSError.has(.invalidKey) {
            _ = try provider.encryptWithLabel(Array(repeating: HPKEPublicKey([1, 2, 3]), count: 20), label: "Welcome", context: [],
                                              plaintexts: Array(repeating: [1], count: 20))
        })
        #expect(try provider.encryptWithLabel([], label: "Welcome", context: [], plaintexts: []).isEmpty)
    }

    @Test("ParallelWork.map keeps the order and rethrows the first error in index order")
    func parallelMap() throws {
        struct Failure: Error, Equatable { let index: Int }
        #expect(try ParallelWork.map(1000) { $0 * 2 } == (0..<1000).map { $0 * 2 })
        #expect(try ParallelWork.map(3) { $0 } == [0, 1, 2])
        #expect(throws: Failure(index: 500)) {
            _ = try ParallelWork.map(1000) { index in
                if index >= 500 { throw Failure(index: index) }
                return index
            }
        }
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
