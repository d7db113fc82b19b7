import Testing
@testable import IsnadTransparency

/// Runs `body` and expects it to throw a ``TransparencyError`` with `code`.
func expectCode(
    _ code: TransparencyError.Code, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) {
    do {
        try body()
        Issue.record("expected \(code), nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as TransparencyError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected \(code), got an untyped \(error)", sourceLocation: sourceLocation)
    }
}

/// The code of the ``TransparencyError`` `body` throws, or nil if it succeeds or throws something else.
func thrownCode(_ body: () throws -> Void) -> TransparencyError.Code? {
    do {
        try body()
        return nil
    } catch {
        return (error as? TransparencyError)?.code
    }
}

@Suite("Tampered proofs fail with the right error")
struct MerkleTamperTests {

    @Test("flipping any bit of any inclusion proof hash, leaf or root gives inclusionRootMismatch")
    func inclusionBitFlips() throws {
        let log = CTTestTree.log()
        let proof = try log.inclusionProof(leafIndex: 5, treeSize: 7)
        let leaf = MerkleTreeHash.leafHash(CTTestTree.leaves[5])
        let root = CTTestTree.roots[7]
        try MerkleProofVerifier.verifyInclusion(leafHash: leaf, leafIndex: 5, treeSize: 7, proof: proof, rootHash: root)
        for (i, hash) in proof.enumerated() {
            for bit in 0..<(32 * 8) {
                var bad = proof
                var flipped = hash
                flipped[bit / 8] ^= 1 << (bit % 8)
                bad[i] = flipped
                expectCode(.inclusionRootMismatch) {
                    try MerkleProofVerifier.verifyInclusion(leafHash: leaf, leafIndex: 5, treeSize: 7, proof: bad, rootHash: root)
                }
            }
        }
        var badLeaf = leaf
        badLeaf[31] ^= 0x80
        expectCode(.inclusionRootMismatch) {
            try MerkleProofVerifier.verifyInclusion(leafHash: badLeaf, leafIndex: 5, treeSize: 7, proof: proof, rootHash: root)
        }
        var badRoot = root
        badRoot[0] ^= 1
        expectCode(.inclusionRootMismatch) {
            try MerkleProofVerifier.verifyInclusion(leafHash: leaf, leafIndex: 5, treeSize: 7, proof: proof, rootHash: badRoot)
        }
    }

    @Test("inclusion proofs of the wrong length or shape fail with typed errors")
    func inclusionShape() throws {
        let log = CTTestTree.log()
        let proof = try log.inclusionProof(leafIndex: 2, treeSize: 8)
        let leaf = MerkleTreeHash.leafHash(CTTestTree.leaves[2])
        expectCode(.inclusionProofLength) {
            try MerkleProofVerifier.verifyInclusion(
                leafHash: leaf, leafIndex: 2, treeSize: 8, proof: proof + [proof[0]], rootHash: CTTestTree.roots[8])
        }
        expectCode(.inclusionProofLength) {
            try MerkleProofVerifier.verifyInclusion(
                leafHash: leaf, leafIndex: 2, treeSize: 8, proof: Array(proof.dropLast()), rootHash: CTTestTree.roots[8])
        }
        expectCode(.indexOutOfRange) {
            try MerkleProofVerifier.verifyInclusion(
                leafHash: leaf, leafIndex: 8, treeSize: 8, proof: proof, rootHash: CTTestTree.roots[8])
        }
        expectCode(.badHashLength) {
            try MerkleProofVerifier.verifyInclusion(
                leafHash: leaf, leafIndex: 2, treeSize: 8, proof: [Array(proof[0].dropLast())] + proof.dropFirst(),
                rootHash: CTTestTree.roots[8])
        }
        expectCode(.indexOutOfRange) { _ = try log.inclusionProof(leafIndex: 8, treeSize: 8) }
        expectCode(.indexOutOfRange) { _ = try log.inclusionProof(leafIndex: 0, treeSize: 9) }
        expectCode(.indexOutOfRange) { _ = try log.rootHash(treeSize: 9) }
        expectCode(.indexOutOfRange) { _ = try log.consistencyProof(from: 0, to: 8) }
        expectCode(.indexOutOfRange) { _ = try log.consistencyProof(from: 5, to: 4) }
    }

    @Test("flipping any bit of a consistency proof or either root fails with a root mismatch")
    func consistencyBitFlips() throws {
        let log = CTTestTree.log()
        for (first, second) in [(3, 7), (4, 8), (6, 8), (1, 5)] as [(UInt64, UInt64)] {
            let proof = try log.consistencyProof(from: first, to: second)
            let r1 = CTTestTree.roots[Int(first)]
            let r2 = CTTestTree.roots[Int(second)]
            for i in proof.indices {
                for bit in stride(from: 0, to: 256, by: 7) {
                    var bad = proof
                    bad[i][bit / 8] ^= 1 << (bit % 8)
                    let code = thrownCode {
                        try MerkleProofVerifier.verifyConsistency(
                            firstSize: first, secondSize: second, firstRoot: r1, secondRoot: r2, proof: bad)
                    }
                    #expect(code == .consistencyFirstRootMismatch || code == .consistencySecondRootMismatch)
                }
            }
            var badFirst = r1
            badFirst[3] ^= 4
            // A power-of-two first tree's root is the proof's first node (RFC 9162 §2.1.4.2 step 2),
            // so a wrong first root shows up as a wrong second root.
            let isPowerOfTwo = first & (first - 1) == 0
            expectCode(isPowerOfTwo ? .consistencySecondRootMismatch : .consistencyFirstRootMismatch) {
                try MerkleProofVerifier.verifyConsistency(
                    firstSize: first, secondSize: second, firstRoot: badFirst, secondRoot: r2, proof: proof)
            }
            var badSecond = r2
            badSecond[3] ^= 4
            expectCode(.consistencySecondRootMismatch) {
                try MerkleProofVerifier.verifyConsistency(
                    firstSize: first, secondSize: second, firstRoot: r1, secondRoot: badSecond, proof: proof)
            }
            expectCode(.consistencyProofLength) {
                try MerkleProofVerifier.verifyConsistency(
                    firstSize: first, secondSize: second, firstRoot: r1, secondRoot: r2, proof: proof + [r1])
            }
        }
        expectCode(.consistencyProofLength) {
            try MerkleProofVerifier.verifyConsistency(
                firstSize: 3, secondSize: 8, firstRoot: CTTestTree.roots[3], secondRoot: CTTestTree.roots[8], proof: [])
        }
        expectCode(.consistencySecondRootMismatch) {
            try MerkleProofVerifier.verifyConsistency(
                firstSize: 8, secondSize: 8, firstRoot: CTTestTree.roots[7], secondRoot: CTTestTree.roots[8], proof: [])
        }
        expectCode(.indexOutOfRange) {
            try MerkleProofVerifier.verifyConsistency(
                firstSize: 8, secondSize: 7, firstRoot: CTTestTree.roots[8], secondRoot: CTTestTree.roots[7], proof: [])
        }
        // The empty tree is consistent with everything, with an empty proof and the empty root.
        try MerkleProofVerifier.verifyConsistency(
            firstSize: 0, secondSize: 8, firstRoot: CTTestTree.roots[0], secondRoot: CTTestTree.roots[8], proof: [])
        expectCode(.consistencyFirstRootMismatch) {
            try MerkleProofVerifier.verifyConsistency(
                firstSize: 0, secondSize: 8, firstRoot: CTTestTree.roots[1], secondRoot: CTTestTree.roots[8], proof: [])
        }
    }
}
