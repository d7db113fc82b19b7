/// An RFC 9162 §4.12 `InclusionProofDataV2`: log ID, tree size, leaf index and inclusion path.
///
/// ```
/// opaque LogID<2..127>;  uint64 tree_size;  uint64 leaf_index;  NodeHash inclusion_path<0..2^16-1>;
/// ```
public struct InclusionProof: Hashable, Sendable {
    /// The log's ID: the DER contents of its OID (RFC 9162 §4.4), 2 to 127 bytes.
    public let logID: [UInt8]
    /// The tree size the proof is for.
    public let treeSize: UInt64
    /// The proved entry's index.
    public let leafIndex: UInt64
    /// The inclusion path, leaf sibling first (RFC 9162 §2.1.3.1); each hash 32 bytes.
    public let path: [[UInt8]]

    /// Creates a proof.
    /// - Throws: ``TransparencyError/Code/malformedProof`` for a log ID outside 2...127 bytes,
    ///   a hash that is not 32 bytes, or a path too long to encode.
    public init(logID: [UInt8], treeSize: UInt64, leafIndex: UInt64, path: [[UInt8]]) throws(TransparencyError) {
        guard (2...127).contains(logID.count), path.allSatisfy({ $0.count == MerkleTreeHash.size }),
              path.count * (MerkleTreeHash.size + 1) <= 0xffff
        else {
            throw TransparencyError(
                .malformedProof, kind: .misuse, "log IDs have 2 to 127 bytes and path hashes 32 bytes",
                specRule: "RFC 9162 §4.12")
        }
        self.logID = logID
        self.treeSize = treeSize
        self.leafIndex = leafIndex
        self.path = path
    }

    /// Decodes proof bytes, strictly: no trailing bytes, SHA-256 hashes only.
    /// - Throws: ``TransparencyError/Code/malformedProof``; never traps on any input.
    public init(decoding bytes: [UInt8]) throws(TransparencyError) {
        var reader = ByteReader(bytes)
        guard let logID = reader.readVector(prefixBytes: 1, allowed: 2...127),
              let treeSize = reader.readUInt(byteCount: 8),
              let leafIndex = reader.readUInt(byteCount: 8),
              let path = reader.readPath(),
              reader.isAtEnd
        else {
            throw TransparencyError(
                .malformedProof, "the bytes are not an InclusionProofDataV2 with 32-byte hashes",
                specRule: "RFC 9162 §4.12")
        }
        try self.init(logID: logID, treeSize: treeSize, leafIndex: leafIndex, path: path)
    }

    /// The TLS encoding of the proof.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = [UInt8(logID.count)] + logID
        ByteWriter.append(treeSize, byteCount: 8, to: &out)
        ByteWriter.append(leafIndex, byteCount: 8, to: &out)
        ByteWriter.appendPath(path, to: &out)
        return out
    }

    /// Verifies the proof for `leafHash` against a trusted root of ``treeSize`` (RFC 9162 §2.1.3.2).
    /// - Throws: the errors of ``MerkleProofVerifier/verifyInclusion(leafHash:leafIndex:treeSize:proof:rootHash:)``.
    public func verify(leafHash: [UInt8], rootHash: [UInt8]) throws(TransparencyError) {
        try MerkleProofVerifier.verifyInclusion(
            leafHash: leafHash, leafIndex: leafIndex, treeSize: treeSize, proof: path, rootHash: rootHash)
    }
}
