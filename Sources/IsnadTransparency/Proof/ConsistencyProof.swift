/// An RFC 9162 §4.11 `ConsistencyProofDataV2`: log ID, both tree sizes and the consistency path.
///
/// ```
/// opaque LogID<2..127>;  uint64 tree_size_1;  uint64 tree_size_2;  NodeHash consistency_path<0..2^16-1>;
/// ```
public struct ConsistencyProof: Hashable, Sendable {
    /// The log's ID: the DER contents of its OID (RFC 9162 §4.4), 2 to 127 bytes.
    public let logID: [UInt8]
    /// The older tree size.
    public let firstSize: UInt64
    /// The newer tree size.
    public let secondSize: UInt64
    /// The consistency path (RFC 9162 §2.1.4.1); each hash 32 bytes.
    public let path: [[UInt8]]

    /// Creates a proof.
    /// - Throws: ``TransparencyError/Code/malformedProof`` for a log ID outside 2...127 bytes,
    ///   a hash that is not 32 bytes, or a path too long to encode.
    public init(logID: [UInt8], firstSize: UInt64, secondSize: UInt64, path: [[UInt8]]) throws(TransparencyError) {
        guard (2...127).contains(logID.count), path.allSatisfy({ $0.count == MerkleTreeHash.size }),
              path.count * (MerkleTreeHash.size + 1) <= 0xffff
        else {
            throw TransparencyError(
                .malformedProof, kind: .misuse, "log IDs have 2 to 127 bytes and path hashes 32 bytes",
                specRule: "RFC 9162 §4.11")
        }
        self.logID = logID
        self.firstSize = firstSize
        self.secondSize = secondSize
        self.path = path
    }

    /// Decodes proof bytes, strictly: no trailing bytes, SHA-256 hashes only.
    /// - Throws: ``TransparencyError/Code/malformedProof``; never traps on any input.
    public init(decoding bytes: [UInt8]) throws(TransparencyError) {
        var reader = ByteReader(bytes)
        guard let logID = reader.readVector(prefixBytes: 1, allowed: 2...127),
              let firstSize = reader.readUInt(byteCount: 8),
              let secondSize = reader.readUInt(byteCount: 8),
              let path = reader.readPath(),
              reader.isAtEnd
        else {
            throw TransparencyError(
                .malformedProof, "the bytes are not a ConsistencyProofDataV2 with 32-byte hashes",
                specRule: "RFC 9162 §4.11")
        }
        try self.init(logID: logID, firstSize: firstSize, secondSize: secondSize, path: path)
    }

    /// The TLS encoding of the proof.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = [UInt8(logID.count)] + logID
        ByteWriter.append(firstSize, byteCount: 8, to: &out)
        ByteWriter.append(secondSize, byteCount: 8, to: &out)
        ByteWriter.appendPath(path, to: &out)
        return out
    }

    /// Verifies the proof between two trusted roots (RFC 9162 §2.1.4.2).
    /// - Throws: the errors of ``MerkleProofVerifier/verifyConsistency(firstSize:secondSize:firstRoot:secondRoot:proof:)``.
    public func verify(firstRoot: [UInt8], secondRoot: [UInt8]) throws(TransparencyError) {
        try MerkleProofVerifier.verifyConsistency(
            firstSize: firstSize, secondSize: secondSize, firstRoot: firstRoot, secondRoot: secondRoot, proof: path)
    }
}
