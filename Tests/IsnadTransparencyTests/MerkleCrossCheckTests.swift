import Testing
@testable import IsnadTransparency

@Suite("Merkle log cross-checked against the recursive RFC 9162 definitions")
struct MerkleCrossCheckTests {
    static let maxSize = 70
    static let entries: [[UInt8]] = (0..<maxSize).map { i in (0...(i % 5)).map { UInt8(truncatingIfNeeded: i &* 31 &+ $0) } }

    static func log() -> MerkleLog {
        var log = MerkleLog()
        for entry in entries { log.append(entry) }
        return log
    }

    @Test("roots at every size 0...70 equal MTH and the stack algorithm")
    func roots() throws {
        let log = Self.log()
        for n in 0...Self.maxSize {
            let expected = ReferenceMerkle.mth(Self.entries[0..<n])
            #expect(try log.rootHash(treeSize: UInt64(n)) == expected)
            #expect(MerkleTreeHash.rootHash(entries: Array(Self.entries[0..<n])) == expected)
        }
    }

    @Test("inclusion proofs for every m < n <= 70 equal PATH and verify")
    func inclusion() throws {
        let log = Self.log()
        for n in 1...Self.maxSize {
            let root = ReferenceMerkle.mth(Self.entries[0..<n])
            for m in 0..<n {
                let proof = try log.inclusionProof(leafIndex: UInt64(m), treeSize: UInt64(n))
                #expect(proof == ReferenceMerkle.path(m, Self.entries[0..<n]), "\(m) in \(n)")
                try MerkleProofVerifier.verifyInclusion(
                    leafHash: MerkleTreeHash.leafHash(Self.entries[m]), leafIndex: UInt64(m),
                    treeSize: UInt64(n), proof: proof, rootHash: root)
            }
        }
    }

    @Test("consistency proofs for every 0 < m <= n <= 70 equal PROOF and verify")
    func consistency() throws {
        let log = Self.log()
        for n in 1...Self.maxSize {
            let secondRoot = ReferenceMerkle.mth(Self.entries[0..<n])
            for m in 1...n {
                let proof = try log.consistencyProof(from: UInt64(m), to: UInt64(n))
                #expect(proof == ReferenceMerkle.subproof(m, Self.entries[0..<n], true), "\(m) → \(n)")
                try MerkleProofVerifier.verifyConsistency(
                    firstSize: UInt64(m), secondSize: UInt64(n),
                    firstRoot: ReferenceMerkle.mth(Self.entries[0..<m]), secondRoot: secondRoot, proof: proof)
            }
        }
    }

    @Test("verifying against the wrong sizes fails for every m <= n <= 70")
    func wrongSizes() throws {
        let log = Self.log()
        for n in 2...Self.maxSize {
            for m in 0..<n {
                let proof = try log.inclusionProof(leafIndex: UInt64(m), treeSize: UInt64(n))
                let root = try log.rootHash(treeSize: UInt64(n))
                // Same proof claimed for a different index: must never verify.
                let other = UInt64((m + 1) % n)
                #expect(throws: TransparencyError.self) {
                    try MerkleProofVerifier.verifyInclusion(
                        leafHash: MerkleTreeHash.leafHash(Self.entries[m]), leafIndex: other,
                        treeSize: UInt64(n), proof: proof, rootHash: root)
                }
            }
        }
    }

    @Test("a 2^20-entry log appends quickly and proves in O(log n)")
    func largeLog() throws {
        var log = MerkleLog()
        let count: UInt64 = 1 << 20
        var entry = [UInt8](repeating: 0, count: 8)
        for i in 0..<count {
            withUnsafeBytes(of: i.bigEndian) { entry.replaceSubrange(0..<8, with: $0) }
            log.append(entry)
        }
        #expect(log.size == count)
        let root = log.rootHash()
        let sizes: [UInt64] = [1, 2, 3, 1000, 999_999, 1_000_000, count - 1, count]
        for n in sizes {
            let rootN = try log.rootHash(treeSize: n)
            for m in [0, n / 3, n - 1] {
                let proof = try log.inclusionProof(leafIndex: m, treeSize: n)
                #expect(proof.count <= 21)
                withUnsafeBytes(of: m.bigEndian) { entry.replaceSubrange(0..<8, with: $0) }
                try MerkleProofVerifier.verifyInclusion(
                    leafHash: MerkleTreeHash.leafHash(entry), leafIndex: m, treeSize: n, proof: proof, rootHash: rootN)
            }
            let consistency = try log.consistencyProof(from: n, to: count)
            try MerkleProofVerifier.verifyConsistency(
                firstSize: n, secondSize: count, firstRoot: rootN, secondRoot: root, proof: consistency)
        }
    }
}
