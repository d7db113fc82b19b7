/// The proof verification algorithms of RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency),
/// as pure functions over hashes. Every failure is a typed ``TransparencyError``.
public enum MerkleProofVerifier {
    /// The root an inclusion proof leads to (RFC 9162 §2.1.3.2, steps 1–4).
    /// - Parameters:
    ///   - leafHash: SHA-256(0x00 || entry) of the entry.
    ///   - leafIndex: the entry's index.
    ///   - treeSize: the tree size the proof is for.
    ///   - proof: the inclusion path, leaf sibling first.
    /// - Throws: ``TransparencyError/Code/indexOutOfRange`` if `leafIndex >= treeSize`,
    ///   ``TransparencyError/Code/inclusionProofLength`` if the path is too short or too long,
    ///   ``TransparencyError/Code/badHashLength`` for a hash that is not 32 bytes.
    public static func rootFromInclusionProof(
        leafHash: [UInt8], leafIndex: UInt64, treeSize: UInt64, proof: [[UInt8]]
    ) throws(TransparencyError) -> [UInt8] {
        guard leafIndex < treeSize else {
            throw TransparencyError(
                .indexOutOfRange, "the proof's leaf index \(leafIndex) is not below its tree size \(treeSize)",
                specRule: "RFC 9162 §2.1.3.2 step 1")
        }
        try MerkleTreeHash.requireHashLength(leafHash, "leaf hash")
        var fn = leafIndex
        var sn = treeSize - 1
        var r = leafHash
        for p in proof {
            try MerkleTreeHash.requireHashLength(p, "inclusion proof hash")
            guard sn != 0 else { throw lengthError(proof.count, treeSize) }
            if fn & 1 == 1 || fn == sn {
                r = MerkleTreeHash.nodeHash(p, r)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                r = MerkleTreeHash.nodeHash(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        guard sn == 0 else { throw lengthError(proof.count, treeSize) }
        return r
    }

    /// Verifies an inclusion proof against a trusted root (RFC 9162 §2.1.3.2).
    /// - Parameters:
    ///   - leafHash: SHA-256(0x00 || entry) of the entry.
    ///   - leafIndex: the entry's index.
    ///   - treeSize: the tree size of `rootHash`.
    ///   - proof: the inclusion path, leaf sibling first.
    ///   - rootHash: the trusted root, e.g. from a verified checkpoint.
    /// - Throws: as ``rootFromInclusionProof(leafHash:leafIndex:treeSize:proof:)``, and
    ///   ``TransparencyError/Code/inclusionRootMismatch`` if the computed root differs.
    public static func verifyInclusion(
        leafHash: [UInt8], leafIndex: UInt64, treeSize: UInt64, proof: [[UInt8]], rootHash: [UInt8]
    ) throws(TransparencyError) {
        try MerkleTreeHash.requireHashLength(rootHash, "root hash")
        let computed = try rootFromInclusionProof(
            leafHash: leafHash, leafIndex: leafIndex, treeSize: treeSize, proof: proof)
        guard constantTimeEqual(computed, rootHash) else {
            throw TransparencyError(
                .inclusionRootMismatch,
                "the inclusion proof leads to a different root; the entry is not in this tree or the proof is corrupt",
                specRule: "RFC 9162 §2.1.3.2 step 5")
        }
    }

    /// Verifies that the tree of `secondSize` entries extends the tree of `firstSize` (RFC 9162 §2.1.4.2).
    ///
    /// Equal sizes are accepted with an empty proof and equal roots; `firstSize == 0` is accepted
    /// with an empty proof, as every tree extends the empty one (RFC 9162 §2.1.4 defines proofs
    /// only for 0 < m < n).
    /// - Parameters:
    ///   - firstSize: the older tree size.
    ///   - secondSize: the newer tree size.
    ///   - firstRoot: the older trusted root.
    ///   - secondRoot: the newer trusted root.
    ///   - proof: the consistency path.
    /// - Throws: ``TransparencyError/Code/indexOutOfRange`` if `firstSize > secondSize`,
    ///   ``TransparencyError/Code/consistencyProofLength`` for a path of the wrong shape,
    ///   ``TransparencyError/Code/consistencyFirstRootMismatch`` or
    ///   ``TransparencyError/Code/consistencySecondRootMismatch`` if a root differs,
    ///   ``TransparencyError/Code/badHashLength`` for a hash that is not 32 bytes.
    public static func verifyConsistency(
        firstSize: UInt64, secondSize: UInt64, firstRoot: [UInt8], secondRoot: [UInt8], proof: [[UInt8]]
    ) throws(TransparencyError) {
        try MerkleTreeHash.requireHashLength(firstRoot, "first root hash")
        try MerkleTreeHash.requireHashLength(secondRoot, "second root hash")
        for hash in proof { try MerkleTreeHash.requireHashLength(hash, "consistency proof hash") }
        guard firstSize <= secondSize else {
            throw TransparencyError(
                .indexOutOfRange, "the first tree size \(firstSize) is larger than the second \(secondSize)",
                specRule: "RFC 9162 §2.1.4.2")
        }
        if firstSize == secondSize || firstSize == 0 {
            guard proof.isEmpty else { throw consistencyLengthError(proof.count, firstSize, secondSize) }
            if firstSize == secondSize, !constantTimeEqual(firstRoot, secondRoot) {
                throw TransparencyError(
                    .consistencySecondRootMismatch, "two roots for the same tree size differ: the log forked",
                    specRule: "RFC 9162 §2.1.4.2")
            }
            if firstSize == 0, !constantTimeEqual(firstRoot, MerkleTreeHash.emptyTree) {
                throw TransparencyError(
                    .consistencyFirstRootMismatch, "the root of the empty tree must be SHA-256 of the empty string",
                    specRule: "RFC 9162 §2.1.1")
            }
            return
        }
        // Step 1.
        guard !proof.isEmpty else { throw consistencyLengthError(0, firstSize, secondSize) }
        // Step 2: a power-of-two first tree is a complete subtree whose hash is first_hash itself.
        var path = proof
        if firstSize & (firstSize - 1) == 0 { path.insert(firstRoot, at: 0) }
        // Step 3.
        var fn = firstSize - 1
        var sn = secondSize - 1
        // Step 4.
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        // Step 5.
        var fr = path[0]
        var sr = path[0]
        // Step 6.
        for c in path.dropFirst() {
            guard sn != 0 else { throw consistencyLengthError(proof.count, firstSize, secondSize) }
            if fn & 1 == 1 || fn == sn {
                fr = MerkleTreeHash.nodeHash(c, fr)
                sr = MerkleTreeHash.nodeHash(c, sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                sr = MerkleTreeHash.nodeHash(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        // Step 7.
        guard sn == 0 else { throw consistencyLengthError(proof.count, firstSize, secondSize) }
        guard constantTimeEqual(fr, firstRoot) else {
            throw TransparencyError(
                .consistencyFirstRootMismatch,
                "the consistency proof does not reproduce the older root; the log may have rewritten history",
                specRule: "RFC 9162 §2.1.4.2 step 7")
        }
        guard constantTimeEqual(sr, secondRoot) else {
            throw TransparencyError(
                .consistencySecondRootMismatch,
                "the consistency proof does not reproduce the newer root; the log may have forked",
                specRule: "RFC 9162 §2.1.4.2 step 7")
        }
    }

    private static func lengthError(_ count: Int, _ treeSize: UInt64) -> TransparencyError {
        TransparencyError(
            .inclusionProofLength, "an inclusion proof of \(count) hashes has the wrong length for tree size \(treeSize)",
            specRule: "RFC 9162 §2.1.3.2 steps 4–5")
    }

    private static func consistencyLengthError(_ count: Int, _ first: UInt64, _ second: UInt64) -> TransparencyError {
        TransparencyError(
            .consistencyProofLength,
            "a consistency proof of \(count) hashes has the wrong length for sizes \(first) → \(second)",
            specRule: "RFC 9162 §2.1.4.2 steps 1, 6–7")
    }

    /// Compares two hashes without an early exit.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in a.indices { difference |= a[i] ^ b[i] }
        return difference == 0
    }
}
