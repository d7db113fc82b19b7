import Crypto

/// An append-only RFC 9162 Merkle log that keeps the hash of every complete subtree.
///
/// Level `h` stores `size >> h` hashes, each MTH of 2^h consecutive leaves (RFC 9162 §2.1.1), in
/// one contiguous byte array. Appending costs amortised O(1) hashes (O(log n) worst case); the
/// root at any earlier size, inclusion proofs (§2.1.3.1) and consistency proofs (§2.1.4.1) cost
/// O(log n) look-ups. Level `8·L` is exactly the hash sequence of tlog-tiles level `L`, so a store
/// can persist the log as tiles (see ``tileData(_:)`` and ``init(treeSize:restoringFrom:)``).
///
/// ```
/// level 2:  [ h(0..3)                         ]
/// level 1:  [ h(0,1)         h(2,3)           ]
/// level 0:  [ l0     l1      l2      l3    l4 ]   size 5
/// ```
public struct MerkleLog: Sendable {
    /// `levels[h]` is the concatenation of the 32-byte complete-subtree hashes at level h.
    fileprivate(set) var levels: [[UInt8]] = [[]]
    /// The number of leaves appended so far.
    public private(set) var size: UInt64 = 0

    /// Creates an empty log.
    public init() {}

    /// Appends one entry, hashing it as an RFC 9162 §2.1.1 leaf.
    /// - Parameter entry: the entry bytes.
    /// - Returns: the entry's leaf index.
    @discardableResult
    public mutating func append(_ entry: [UInt8]) -> UInt64 {
        var hasher = SHA256()
        hasher.update(data: [0x00])
        hasher.update(data: entry)
        let digest = hasher.finalize()
        return digest.withUnsafeBytes { appendLeaf($0) }
    }

    /// Appends an entry given by its leaf hash SHA-256(0x00 || entry) (RFC 9162 §2.1.1).
    /// - Parameter leafHash: the 32-byte leaf hash.
    /// - Returns: the entry's leaf index.
    /// - Throws: ``TransparencyError/Code/badHashLength`` if `leafHash` is not 32 bytes.
    @discardableResult
    public mutating func append(leafHash: [UInt8]) throws(TransparencyError) -> UInt64 {
        try MerkleTreeHash.requireHashLength(leafHash, "leaf hash")
        return leafHash.withUnsafeBytes { appendLeaf($0) }
    }

    private mutating func appendLeaf(_ leaf: UnsafeRawBufferPointer) -> UInt64 {
        let index = size
        levels[0].append(contentsOf: leaf)
        size += 1
        // A level whose hash count just became even has completed a subtree one level up.
        var level = 0
        while (size >> UInt64(level)) & 1 == 0 {
            let count = levels[level].count
            let parent: SHA256.Digest = levels[level].withUnsafeBytes { bytes in
                var hasher = SHA256()
                hasher.update(data: [0x01])
                hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: bytes[(count - 64)..<count]))
                return hasher.finalize()
            }
            if levels.count == level + 1 { levels.append([]) }
            parent.withUnsafeBytes { levels[level + 1].append(contentsOf: $0) }
            level += 1
        }
        return index
    }

    /// The number of complete-subtree hashes stored at `level` (`size >> level`).
    /// - Parameter level: the Merkle level, 0 for leaves.
    public func hashCount(level: Int) -> UInt64 {
        guard level >= 0, level < 64 else { return 0 }
        return size >> UInt64(level)
    }

    /// The stored hash MTH(D[index·2^level ..< (index+1)·2^level]) (RFC 9162 §2.1.1).
    /// - Parameters:
    ///   - level: the Merkle level, 0 for leaf hashes.
    ///   - index: the position within the level.
    /// - Returns: 32 bytes, or `nil` if that subtree is not complete yet.
    public func hash(level: Int, index: UInt64) -> [UInt8]? {
        guard index < hashCount(level: level) else { return nil }
        let offset = Int(index) * MerkleTreeHash.size
        return Array(levels[level][offset..<(offset + MerkleTreeHash.size)])
    }

    /// The root hash MTH(D_n) of the whole log (RFC 9162 §2.1.1).
    public func rootHash() -> [UInt8] {
        // size is always within range, so this never throws.
        (try? rootHash(treeSize: size)) ?? MerkleTreeHash.emptyTree
    }

    /// The root hash the log had when it held `treeSize` entries (RFC 9162 §2.1.1).
    /// - Parameter treeSize: any size from 0 to ``size``.
    /// - Throws: ``TransparencyError/Code/indexOutOfRange`` if `treeSize > size`.
    public func rootHash(treeSize: UInt64) throws(TransparencyError) -> [UInt8] {
        try checkSize(treeSize, rule: "RFC 9162 §2.1.1")
        var source = Source(log: self)
        return try MerkleProofBuilder.subtreeHash(start: 0, size: treeSize, &source)
    }

    /// The inclusion proof PATH(leafIndex, D[0:treeSize]) (RFC 9162 §2.1.3.1), leaf sibling first.
    /// - Parameters:
    ///   - leafIndex: the entry to prove, below `treeSize`.
    ///   - treeSize: the tree size the proof is for, at most ``size``.
    /// - Throws: ``TransparencyError/Code/indexOutOfRange`` for an index or size outside the log.
    public func inclusionProof(leafIndex: UInt64, treeSize: UInt64) throws(TransparencyError) -> [[UInt8]] {
        try checkSize(treeSize, rule: "RFC 9162 §2.1.3.1")
        try MerkleProofBuilder.checkInclusionRange(index: leafIndex, treeSize: treeSize)
        var source = Source(log: self)
        return try MerkleProofBuilder.inclusionPath(index: leafIndex, start: 0, size: treeSize, &source)
    }

    /// The consistency proof PROOF(first, D[0:second]) (RFC 9162 §2.1.4.1).
    ///
    /// `first == second` yields the empty proof.
    /// - Parameters:
    ///   - first: the older size, `0 < first <= second`.
    ///   - second: the newer size, at most ``size``.
    /// - Throws: ``TransparencyError/Code/indexOutOfRange`` for sizes outside the log.
    public func consistencyProof(from first: UInt64, to second: UInt64) throws(TransparencyError) -> [[UInt8]] {
        try checkSize(second, rule: "RFC 9162 §2.1.4.1")
        var source = Source(log: self)
        return try MerkleProofBuilder.consistencyProof(first: first, second: second, &source)
    }

    private func checkSize(_ treeSize: UInt64, rule: String) throws(TransparencyError) {
        guard treeSize <= size else {
            throw TransparencyError(
                .indexOutOfRange, kind: .misuse,
                "tree size \(treeSize) is larger than the log (\(size) entries)", specRule: rule)
        }
    }

    /// Serves stored hashes to ``MerkleProofBuilder``; only complete subtrees are ever asked for.
    private struct Source: SubtreeHashSource {
        let log: MerkleLog
        func hash(level: Int, index: UInt64) throws(TransparencyError) -> [UInt8] {
            guard let hash = log.hash(level: level, index: index) else {
                throw TransparencyError(
                    .indexOutOfRange, kind: .internalFailure,
                    "proof generation asked for an incomplete subtree; this is a bug",
                    specRule: "RFC 9162 §2.1")
            }
            return hash
        }
    }
}
