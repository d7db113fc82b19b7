/// Where the proof algorithms find the hash of a full, aligned subtree.
///
/// `hash(level: h, index: i)` is MTH(D[i·2^h ..< (i+1)·2^h]) (RFC 9162 §2.1.1): level 0 holds the
/// leaf hashes, level h the roots of complete subtrees of 2^h leaves. These are exactly the
/// hashes tlog-tiles serves: tile level L holds Merkle level 8·L (c2sp.org/tlog-tiles, Merkle Tree).
protocol SubtreeHashSource {
    /// The stored hash of the complete subtree at `level` and `index`.
    mutating func hash(level: Int, index: UInt64) throws(TransparencyError) -> [UInt8]
}
