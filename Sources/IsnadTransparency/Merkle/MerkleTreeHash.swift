import Crypto

/// The RFC 9162 §2.1.1 Merkle Tree Hash with SHA-256: leaf hashes, node hashes and whole-list roots.
///
/// ```
/// MTH({})      = SHA-256()
/// MTH({d[0]})  = SHA-256(0x00 || d[0])
/// MTH(D_n)     = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n]))   k = largest power of two < n
/// ```
public enum MerkleTreeHash {
    /// The size in bytes of every hash (HASH_SIZE for SHA-256, RFC 9162 §2.1.1).
    public static let size = 32

    /// MTH({}) = SHA-256 of the empty string (RFC 9162 §2.1.1).
    public static let emptyTree: [UInt8] = Array(SHA256.hash(data: [UInt8]()))

    /// The leaf hash SHA-256(0x00 || entry) (RFC 9162 §2.1.1).
    /// - Parameter entry: the log entry bytes.
    /// - Returns: 32 bytes.
    public static func leafHash(_ entry: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: [0x00])
        hasher.update(data: entry)
        return Array(hasher.finalize())
    }

    /// The interior node hash SHA-256(0x01 || left || right) (RFC 9162 §2.1.1).
    /// - Parameters:
    ///   - left: the left child hash.
    ///   - right: the right child hash.
    /// - Returns: 32 bytes.
    public static func nodeHash(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: [0x01])
        hasher.update(data: left)
        hasher.update(data: right)
        return Array(hasher.finalize())
    }

    /// The Merkle Tree Hash of a whole list of entries, by the stack algorithm of RFC 9162 §2.1.2.
    /// - Parameter entries: the entries `d[0] ..< d[n]`.
    /// - Returns: MTH(D_n); ``emptyTree`` for no entries.
    public static func rootHash(entries: [[UInt8]]) -> [UInt8] {
        rootHash(leafHashes: entries.map(leafHash))
    }

    /// The Merkle Tree Hash of a list given by its leaf hashes (RFC 9162 §2.1.2).
    /// - Parameter leafHashes: SHA-256(0x00 || d[i]) for every entry, in order.
    /// - Returns: the root; ``emptyTree`` for an empty list.
    public static func rootHash(leafHashes: [[UInt8]]) -> [UInt8] {
        var stack: [[UInt8]] = []
        for (i, leaf) in leafHashes.enumerated() {
            stack.append(leaf)
            // merge_count = number of trailing one bits of i (RFC 9162 §2.1.2, step 2.2).
            var merges = (~UInt64(i)).trailingZeroBitCount
            while merges > 0, stack.count >= 2 {
                let right = stack.removeLast()
                let left = stack.removeLast()
                stack.append(nodeHash(left, right))
                merges -= 1
            }
        }
        guard var root = stack.popLast() else { return emptyTree }
        while let left = stack.popLast() { root = nodeHash(left, root) }
        return root
    }

    /// Checks that `hash` has exactly ``size`` bytes.
    static func requireHashLength(_ hash: [UInt8], _ what: String) throws(TransparencyError) {
        guard hash.count == size else {
            throw TransparencyError(
                .badHashLength, "\(what) has \(hash.count) bytes; SHA-256 hashes have 32",
                specRule: "RFC 9162 §2.1.1")
        }
    }
}
