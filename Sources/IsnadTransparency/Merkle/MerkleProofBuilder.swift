/// Generates roots and proofs from complete-subtree hashes, following the recursive
/// definitions of RFC 9162 §2.1.1 (MTH), §2.1.3.1 (PATH) and §2.1.4.1 (PROOF/SUBPROOF).
///
/// Every right sibling on a proof path except at most one is a complete subtree, so a proof
/// costs O(log n) look-ups plus O(log n) hashes for the one incomplete right-edge subtree.
enum MerkleProofBuilder {
    /// The largest power of two strictly smaller than `n` (n > 1), the split point k of RFC 9162 §2.1.1.
    static func split(_ n: UInt64) -> UInt64 {
        UInt64(1) << (63 - (n - 1).leadingZeroBitCount)
    }

    /// MTH(D[start ..< start+size]) for a range that starts on a multiple of its enclosing power of two.
    static func subtreeHash<S: SubtreeHashSource>(
        start: UInt64, size: UInt64, _ source: inout S
    ) throws(TransparencyError) -> [UInt8] {
        if size == 0 { return MerkleTreeHash.emptyTree }
        if size & (size - 1) == 0 {
            let level = size.trailingZeroBitCount
            return try source.hash(level: level, index: start >> UInt64(level))
        }
        let k = split(size)
        let left = try subtreeHash(start: start, size: k, &source)
        let right = try subtreeHash(start: start + k, size: size - k, &source)
        return MerkleTreeHash.nodeHash(left, right)
    }

    /// PATH(m, D[start ..< start+n]) of RFC 9162 §2.1.3.1, leaf sibling first.
    static func inclusionPath<S: SubtreeHashSource>(
        index m: UInt64, start: UInt64, size n: UInt64, _ source: inout S
    ) throws(TransparencyError) -> [[UInt8]] {
        if n <= 1 { return [] }
        let k = split(n)
        if m < k {
            var path = try inclusionPath(index: m, start: start, size: k, &source)
            path.append(try subtreeHash(start: start + k, size: n - k, &source))
            return path
        }
        var path = try inclusionPath(index: m - k, start: start + k, size: n - k, &source)
        path.append(try subtreeHash(start: start, size: k, &source))
        return path
    }

    /// SUBPROOF(m, D[start ..< start+n], b) of RFC 9162 §2.1.4.1.
    static func subproof<S: SubtreeHashSource>(
        _ m: UInt64, start: UInt64, size n: UInt64, complete b: Bool, _ source: inout S
    ) throws(TransparencyError) -> [[UInt8]] {
        if m == n {
            return b ? [] : [try subtreeHash(start: start, size: m, &source)]
        }
        let k = split(n)
        if m <= k {
            var proof = try subproof(m, start: start, size: k, complete: b, &source)
            proof.append(try subtreeHash(start: start + k, size: n - k, &source))
            return proof
        }
        var proof = try subproof(m - k, start: start + k, size: n - k, complete: false, &source)
        proof.append(try subtreeHash(start: start, size: k, &source))
        return proof
    }

    /// Checks `index < treeSize` for an inclusion proof (RFC 9162 §2.1.3.1: 0 <= m < n).
    static func checkInclusionRange(index: UInt64, treeSize: UInt64) throws(TransparencyError) {
        guard index < treeSize else {
            throw TransparencyError(
                .indexOutOfRange, kind: .misuse,
                "leaf index \(index) is not below tree size \(treeSize); ask for an index inside the tree",
                specRule: "RFC 9162 §2.1.3.1")
        }
    }

    /// Checks `0 < first <= second` for a consistency proof (RFC 9162 §2.1.4.1).
    static func checkConsistencyRange(first: UInt64, second: UInt64) throws(TransparencyError) {
        guard first > 0, first <= second else {
            throw TransparencyError(
                .indexOutOfRange, kind: .misuse,
                "consistency needs 0 < first size (\(first)) <= second size (\(second))",
                specRule: "RFC 9162 §2.1.4.1")
        }
    }

    /// RFC 9162 §2.1.4.1 PROOF(m, D_n) = SUBPROOF(m, D_n, true); empty when m == n.
    static func consistencyProof<S: SubtreeHashSource>(
        first m: UInt64, second n: UInt64, _ source: inout S
    ) throws(TransparencyError) -> [[UInt8]] {
        try checkConsistencyRange(first: m, second: n)
        return try subproof(m, start: 0, size: n, complete: true, &source)
    }
}
