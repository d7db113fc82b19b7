import Crypto
import IsnadMLS
import IsnadTransparency
import IsnadWire
import Testing

/// A small log with the sample report's commitment at index 4 of 7.
struct ReceiptFixture {
    static let origin = "observatory.example/log"
    let signed: SignedReport
    let opening: CommitmentOpening
    let log: MerkleLog
    let signer: NoteSigner
    let checkpoint: SignedNote
    let proof: InclusionProof
    let receipt: Receipt

    init(observatory: TestObservatory = Fixtures.alpha) throws {
        signed = try Fixtures.signedSample()
        var g = SeededGenerator(seed: 11)
        opening = CommitmentOpening.make(for: signed, using: &g)
        var log = MerkleLog()
        for i in 0..<7 {
            log.append(i == 4 ? opening.commitment.bytes : g.bytes(32))
        }
        self.log = log
        signer = try NoteSigner(name: Self.origin, privateKey: observatory.logPrivateKey)
        checkpoint = try Checkpoint(origin: Self.origin, treeSize: 7, rootHash: log.rootHash()).sign(with: [signer])
        proof = try InclusionProof(
            logID: [0x2b, 0x06, 0x01], treeSize: 7, leafIndex: 4, path: try log.inclusionProof(leafIndex: 4, treeSize: 7))
        receipt = try Receipt.sign(
            opening: opening, logIndex: 4, checkpoint: checkpoint, inclusionProof: proof, with: observatory.logPrivateKey)
    }

    var verifier: ReceiptVerifier { ReceiptVerifier(logVerifier: signer.verifier) }

    /// Encodes and signs receipt fields exactly as docs/reports.md describes, independently of ``Receipt/sign``.
    static func forge(
        version: UInt16 = 1, commitment: [UInt8], salt: [UInt8], logIndex: UInt64, note: [UInt8], proof: [UInt8],
        key: Curve25519.Signing.PrivateKey
    ) throws -> [UInt8] {
        var encoder = TLSEncoder()
        encoder.write(version)
        encoder.writeOpaque(commitment)
        encoder.writeOpaque(salt)
        encoder.write(logIndex)
        encoder.writeOpaque(note)
        encoder.writeOpaque(proof)
        let signature = try key.signature(for: Array("isnad receipt v1".utf8) + encoder.bytes)
        encoder.writeOpaque(Array(signature))
        return encoder.bytes
    }

    func forge(
        commitment: [UInt8]? = nil, salt: [UInt8]? = nil, logIndex: UInt64 = 4, note: SignedNote? = nil,
        proof: InclusionProof? = nil, key: Curve25519.Signing.PrivateKey = Fixtures.alpha.logPrivateKey
    ) throws -> Receipt {
        try Receipt(encoded: Self.forge(
            commitment: commitment ?? opening.commitment.bytes, salt: salt ?? opening.salt, logIndex: logIndex,
            note: Array((note ?? checkpoint).encoded.utf8), proof: (proof ?? self.proof).encoded(), key: key))
    }
}

struct ReceiptTests {
    @Test("a receipt round-trips, matches the documented layout and verifies, also against the report")
    func roundTrip() throws {
        let f = try ReceiptFixture()
        let bytes = f.receipt.encoded
        let decoded = try Receipt(encoded: bytes)
        #expect(decoded == f.receipt)
        // Ed25519 is deterministic, so the independent encoding is byte-identical.
        #expect(try f.forge().encoded == bytes)
        let verified = try f.verifier.verify(decoded, signedReport: f.signed)
        #expect(verified.checkpoint.treeSize == 7)
        #expect(verified.receipt.logIndex == 4)
        _ = try ReceiptVerifier(
            observatoryKey: Fixtures.alpha.logPrivateKey.publicKey, origin: ReceiptFixture.origin,
            checkpointVerifiers: [f.signer.verifier]
        ).verify(decoded)
    }

    @Test("a later checkpoint is proven consistent with the receipt's; a fork, a shrunk log or a bad proof is not")
    func consistencyWithLaterCheckpoint() throws {
        let f = try ReceiptFixture()
        let verified = try f.verifier.verify(f.receipt)
        var log = f.log
        log.append([1, 2, 3])
        log.append([4, 5, 6])
        let later = try Checkpoint(origin: ReceiptFixture.origin, treeSize: 9, rootHash: log.rootHash()).sign(with: [f.signer])
        let note = Array(later.encoded.utf8)
        let proof = try log.consistencyProof(from: 7, to: 9)
        let current = try f.verifier.verifyConsistency(of: verified, withCheckpoint: note, proof: proof)
        #expect(current.treeSize == 9)
        // The same size is consistent with an empty proof.
        _ = try f.verifier.verifyConsistency(of: verified, withCheckpoint: Array(f.checkpoint.encoded.utf8), proof: [])
        // A fork: another history of 9 entries, signed by the log key.
        var fork = MerkleLog()
        for i in 0..<9 { fork.append([UInt8(i)]) }
        let forked = try Checkpoint(origin: ReceiptFixture.origin, treeSize: 9, rootHash: fork.rootHash()).sign(with: [f.signer])
        expectWireError(.consistencyFailed) {
            _ = try f.verifier.verifyConsistency(of: verified, withCheckpoint: Array(forked.encoded.utf8), proof: try fork.consistencyProof(from: 7, to: 9))
        }
        // A log that shrank.
        let shrunk = try Checkpoint(origin: ReceiptFixture.origin, treeSize: 6, rootHash: f.log.rootHash(treeSize: 6)).sign(with: [f.signer])
        expectWireError(.consistencyFailed) { _ = try f.verifier.verifyConsistency(of: verified, withCheckpoint: Array(shrunk.encoded.utf8), proof: []) }
        // A corrupted proof.
        var bad = proof
        bad[0][0] ^= 1
        expectWireError(.consistencyFailed) { _ = try f.verifier.verifyConsistency(of: verified, withCheckpoint: note, proof: bad) }
        // An untrusted checkpoint.
        let stranger = try NoteSigner(name: ReceiptFixture.origin, privateKey: Fixtures.beta.logPrivateKey)
        let untrusted = try Checkpoint(origin: ReceiptFixture.origin, treeSize: 9, rootHash: log.rootHash()).sign(with: [stranger])
        expectWireError(.invalidCheckpoint) { _ = try f.verifier.verifyConsistency(of: verified, withCheckpoint: Array(untrusted.encoded.utf8), proof: proof) }
    }

    @Test("any changed byte of a receipt is refused with a typed error")
    func tamperEveryByte() throws {
        let f = try ReceiptFixture()
        let bytes = f.receipt.encoded
        var codes: Set<WireError.Code> = []
        for index in bytes.indices {
            var tampered = bytes
            tampered[index] ^= 0x01
            do {
                _ = try f.verifier.verify(try Receipt(encoded: tampered), signedReport: f.signed)
                Issue.record("a change at byte \(index) was accepted")
            } catch {
                codes.insert(error.code)
            }
        }
        #expect(codes.isSuperset(of: [.malformed, .invalidReceiptSignature, .unsupportedVersion]), "\(codes)")
    }

    @Test("a receipt signed by another key fails its signature check")
    func wrongSigner() throws {
        let f = try ReceiptFixture()
        expectWireError(.invalidReceiptSignature) { _ = try f.verifier.verify(try f.forge(key: Fixtures.beta.logPrivateKey)) }
    }

    @Test("a correctly signed receipt with a bad checkpoint is refused")
    func badCheckpoint() throws {
        let f = try ReceiptFixture()
        // Checkpoint signed by an untrusted key.
        let stranger = try NoteSigner(name: ReceiptFixture.origin, privateKey: Fixtures.beta.logPrivateKey)
        let strangerNote = try Checkpoint(origin: ReceiptFixture.origin, treeSize: 7, rootHash: f.log.rootHash()).sign(with: [stranger])
        expectWireError(.invalidCheckpoint) { _ = try f.verifier.verify(try f.forge(note: strangerNote)) }
        // Checkpoint for another origin, signed by the log key under that name.
        let otherName = try NoteSigner(name: "other.example/log", privateKey: Fixtures.alpha.logPrivateKey)
        let otherOrigin = try Checkpoint(origin: "other.example/log", treeSize: 7, rootHash: f.log.rootHash()).sign(with: [otherName])
        expectWireError(.invalidCheckpoint) { _ = try f.verifier.verify(try f.forge(note: otherOrigin)) }
        // A note whose text is not a checkpoint.
        let notCheckpoint = try SignedNote(text: "hello\n", signers: [f.signer])
        expectWireError(.invalidCheckpoint) { _ = try f.verifier.verify(try f.forge(note: notCheckpoint)) }
    }

    @Test("a correctly signed receipt whose proof does not prove the commitment is refused")
    func badInclusion() throws {
        let f = try ReceiptFixture()
        // Another commitment.
        var other = f.opening.commitment.bytes
        other[0] ^= 1
        expectWireError(.inclusionFailed) { _ = try f.verifier.verify(try f.forge(commitment: other)) }
        // Another index, with the proof claiming it too.
        let index3 = try InclusionProof(logID: f.proof.logID, treeSize: 7, leafIndex: 3, path: f.proof.path)
        expectWireError(.inclusionFailed) { _ = try f.verifier.verify(try f.forge(logIndex: 3, proof: index3)) }
        // The receipt's index disagrees with the proof's.
        expectWireError(.inclusionFailed) { _ = try f.verifier.verify(try f.forge(logIndex: 5)) }
        // The proof is for another tree size than the checkpoint.
        let size8 = try InclusionProof(logID: f.proof.logID, treeSize: 8, leafIndex: 4, path: f.proof.path)
        expectWireError(.inclusionFailed) { _ = try f.verifier.verify(try f.forge(proof: size8)) }
        // A corrupted path hash.
        var path = f.proof.path
        path[1][5] ^= 0x10
        let corrupt = try InclusionProof(logID: f.proof.logID, treeSize: 7, leafIndex: 4, path: path)
        expectWireError(.inclusionFailed) { _ = try f.verifier.verify(try f.forge(proof: corrupt)) }
        // A path of the wrong length.
        let short = try InclusionProof(logID: f.proof.logID, treeSize: 7, leafIndex: 4, path: Array(path.dropLast()))
        expectWireError(.inclusionFailed) { _ = try f.verifier.verify(try f.forge(proof: short)) }
    }

    @Test("a valid receipt for someone else's report does not match this report")
    func commitmentToAnotherReport() throws {
        let f = try ReceiptFixture()
        var otherReport = Arbitrary.sample
        otherReport.narrative = "Something else."
        let other = try Fixtures.signedSample(otherReport)
        _ = try f.verifier.verify(f.receipt)
        expectWireError(.commitmentMismatch) { _ = try f.verifier.verify(f.receipt, signedReport: other) }
        var salt = f.opening.salt
        salt[0] ^= 1
        expectWireError(.commitmentMismatch) { _ = try f.verifier.verify(try f.forge(salt: salt), signedReport: f.signed) }
    }

    @Test("the observatory cannot issue a receipt whose parts do not fit")
    func signingRefusesInconsistentParts() throws {
        let f = try ReceiptFixture()
        expectWireError(.inclusionFailed) {
            _ = try Receipt.sign(opening: f.opening, logIndex: 3, checkpoint: f.checkpoint, inclusionProof: f.proof, with: Fixtures.alpha.logPrivateKey)
        }
        var g = SeededGenerator(seed: 99)
        let stranger = CommitmentOpening.make(for: f.signed, using: &g)
        expectWireError(.inclusionFailed) {
            _ = try Receipt.sign(opening: stranger, logIndex: 4, checkpoint: f.checkpoint, inclusionProof: f.proof, with: Fixtures.alpha.logPrivateKey)
        }
    }

    @Test("other versions, trailing bytes, truncation and oversized input are refused")
    func framing() throws {
        let f = try ReceiptFixture()
        let bytes = f.receipt.encoded
        let v2 = try ReceiptFixture.forge(
            version: 2, commitment: f.opening.commitment.bytes, salt: f.opening.salt, logIndex: 4,
            note: Array(f.checkpoint.encoded.utf8), proof: f.proof.encoded(), key: Fixtures.alpha.logPrivateKey)
        expectWireError(.unsupportedVersion) { _ = try Receipt(encoded: v2) }
        expectWireError(.malformed) { _ = try Receipt(encoded: bytes + [0]) }
        for length in 0..<bytes.count {
            expectWireError(.malformed) { _ = try Receipt(encoded: Array(bytes.prefix(length))) }
        }
        expectWireError(.tooLarge) { _ = try Receipt(encoded: Array(repeating: 0, count: Receipt.maximumEncodedBytes + 1)) }
    }
}
