/// A bounds-checked reader of TLS presentation-language encodings (RFC 8446 §3) used by
/// RFC 9162 §4 structures. Every read either succeeds or returns nil; it never traps.
struct ByteReader {
    private let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { offset == bytes.count }

    mutating func readBytes(_ count: Int) -> [UInt8]? {
        guard count >= 0, bytes.count - offset >= count else { return nil }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    mutating func readUInt(byteCount: Int) -> UInt64? {
        guard let raw = readBytes(byteCount) else { return nil }
        return raw.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// `opaque x<min..max>` with a length prefix of `prefixBytes` bytes.
    mutating func readVector(prefixBytes: Int, allowed: ClosedRange<Int>) -> [UInt8]? {
        guard let length = readUInt(byteCount: prefixBytes), length <= UInt64(allowed.upperBound),
              allowed.contains(Int(length))
        else { return nil }
        return readBytes(Int(length))
    }
}

extension ByteReader {
    /// Reads a `NodeHash path<0..2^16-1>`, requiring SHA-256-sized hashes.
    mutating func readPath() -> [[UInt8]]? {
        guard let body = readVector(prefixBytes: 2, allowed: 0...0xffff) else { return nil }
        var inner = ByteReader(body)
        var path: [[UInt8]] = []
        while !inner.isAtEnd {
            guard let hash = inner.readVector(prefixBytes: 1, allowed: 32...255),
                  hash.count == MerkleTreeHash.size
            else { return nil }
            path.append(hash)
        }
        return path
    }
}
