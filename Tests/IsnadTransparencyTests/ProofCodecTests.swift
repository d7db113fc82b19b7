import Testing
@testable import IsnadTransparency

@Suite("RFC 9162 proof encodings and tlog-proof")
struct ProofCodecTests {
    static let logID: [UInt8] = [0x2b, 0x06, 0x01, 0x04, 0x01]

    @Test("InclusionProofDataV2 has the TLS layout of RFC 9162 §4.12 and round-trips")
    func inclusionLayout() throws {
        let log = CTTestTree.log()
        let path = try log.inclusionProof(leafIndex: 5, treeSize: 8)
        let proof = try InclusionProof(logID: Self.logID, treeSize: 8, leafIndex: 5, path: path)
        let bytes = proof.encoded()
        var expected: [UInt8] = [5] + Self.logID
        expected += [0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 5]
        expected += [0, 99]  // 3 × (1 + 32) bytes of NodeHash vectors
        for hash in path { expected += [32] + hash }
        #expect(bytes == expected)
        #expect(try InclusionProof(decoding: bytes) == proof)
        try proof.verify(leafHash: MerkleTreeHash.leafHash(CTTestTree.leaves[5]), rootHash: CTTestTree.roots[8])
        expectCode(.inclusionRootMismatch) {
            try proof.verify(leafHash: MerkleTreeHash.leafHash(CTTestTree.leaves[4]), rootHash: CTTestTree.roots[8])
        }
        expectCode(.malformedProof) { _ = try InclusionProof(decoding: bytes + [0]) }
        expectCode(.malformedProof) { _ = try InclusionProof(decoding: Array(bytes.dropLast())) }
        var shortHash = bytes
        shortHash[Self.logID.count + 1 + 16 + 2] = 31
        expectCode(.malformedProof) { _ = try InclusionProof(decoding: shortHash) }
        expectCode(.malformedProof) { _ = try InclusionProof(decoding: [1, 0]) }
    }

    @Test("ConsistencyProofDataV2 round-trips and verifies")
    func consistencyLayout() throws {
        let log = CTTestTree.log()
        let path = try log.consistencyProof(from: 3, to: 7)
        let proof = try ConsistencyProof(logID: Self.logID, firstSize: 3, secondSize: 7, path: path)
        let decoded = try ConsistencyProof(decoding: proof.encoded())
        #expect(decoded == proof)
        #expect(Array(proof.encoded()[6..<22]) == [0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 7])
        try decoded.verify(firstRoot: CTTestTree.roots[3], secondRoot: CTTestTree.roots[7])
        expectCode(.consistencyFirstRootMismatch) {
            try decoded.verify(firstRoot: CTTestTree.roots[2], secondRoot: CTTestTree.roots[7])
        }
        let empty = try ConsistencyProof(logID: Self.logID, firstSize: 7, secondSize: 7, path: [])
        #expect(try ConsistencyProof(decoding: empty.encoded()) == empty)
    }

    @Test("a tlog-proof round-trips and verifies against the log key")
    func tlogProof() throws {
        var log = MerkleLog()
        for i in 0..<100 { log.append(Array("r\(i)".utf8)) }
        let signer = try NoteSigner.generate(name: "isnad.example/log")
        let note = try Checkpoint(origin: "isnad.example/log", treeSize: 100, rootHash: log.rootHash()).sign(with: [signer])
        let proof = try TlogProof(
            extra: Array("context".utf8), index: 42, path: log.inclusionProof(leafIndex: 42, treeSize: 100), checkpoint: note)
        let text = proof.encoded
        #expect(text.hasPrefix("c2sp.org/tlog-proof@v1\nextra Y29udGV4dA==\nindex 42\n"))
        #expect(text.hasSuffix("\n\n" + note.encoded))
        let parsed = try TlogProof(parsing: text)
        #expect(parsed == proof)
        #expect(parsed.encoded == text)
        let leaf = MerkleTreeHash.leafHash(Array("r42".utf8))
        let opened = try parsed.verify(leafHash: leaf, origin: "isnad.example/log", verifiers: [signer.verifier])
        #expect(opened.checkpoint.treeSize == 100)
        expectCode(.inclusionRootMismatch) {
            _ = try parsed.verify(leafHash: MerkleTreeHash.leafHash(Array("r43".utf8)), origin: "isnad.example/log", verifiers: [signer.verifier])
        }
        let noExtra = try TlogProof(extra: nil, index: 0, path: [], checkpoint: note)
        #expect(try TlogProof(parsing: noExtra.encoded) == noExtra)
        for bad in ["", "c2sp.org/tlog-proof@v2\nindex 1\n\n" + note.encoded, "c2sp.org/tlog-proof@v1\nindex 01\n\n" + note.encoded,
                    "c2sp.org/tlog-proof@v1\nindex 1\nAAAA\n\n" + note.encoded, "c2sp.org/tlog-proof@v1\nindex 1\n"] {
            expectCode(.malformedTlogProof) { _ = try TlogProof(parsing: bad) }
        }
    }
}
