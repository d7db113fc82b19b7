/// Reads the TLS presentation language as RFC 9420 extends it (§2.1), strictly.
///
/// Every read checks bounds; a short buffer, a non-minimal varint, a `11` varint prefix, a
/// presence octet other than 0 or 1, or bytes left over where a structure should end are
/// each an ``MLSError`` of kind `.badInput` naming the field and the byte offset. Nothing
/// here traps, whatever the input.
public struct TLSDecoder: Sendable {
    @usableFromInline let bytes: [UInt8]
    /// The offset of the next byte to read.
    public private(set) var position: Int
    /// One past the last byte this decoder may read (a vector's end when nested).
    public let end: Int

    /// Creates a decoder over all of `bytes`.
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.position = 0
        self.end = bytes.count
    }

    private init(bytes: [UInt8], position: Int, end: Int) {
        self.bytes = bytes
        self.position = position
        self.end = end
    }

    /// Whether every byte up to ``end`` has been read.
    public var isAtEnd: Bool { position >= end }

    /// How many bytes remain.
    public var remaining: Int { end - position }

    private func truncated(_ field: String, needed: Int) -> MLSError {
        .badInput(.truncated, "\(field) needs \(needed) byte(s) at offset \(position) but only \(remaining) remain", rfc: "§2.1")
    }

    /// Reads one octet.
    public mutating func readUInt8(_ field: String = "uint8") throws -> UInt8 {
        guard remaining >= 1 else { throw truncated(field, needed: 1) }
        defer { position += 1 }
        return bytes[position]
    }

    /// Reads a big-endian `uint16`.
    public mutating func readUInt16(_ field: String = "uint16") throws -> UInt16 {
        guard remaining >= 2 else { throw truncated(field, needed: 2) }
        defer { position += 2 }
        return UInt16(bytes[position]) << 8 | UInt16(bytes[position + 1])
    }

    /// Reads a big-endian `uint32`.
    public mutating func readUInt32(_ field: String = "uint32") throws -> UInt32 {
        guard remaining >= 4 else { throw truncated(field, needed: 4) }
        var value: UInt32 = 0
        for offset in 0..<4 { value = value << 8 | UInt32(bytes[position + offset]) }
        position += 4
        return value
    }

    /// Reads a big-endian `uint64`.
    public mutating func readUInt64(_ field: String = "uint64") throws -> UInt64 {
        guard remaining >= 8 else { throw truncated(field, needed: 8) }
        var value: UInt64 = 0
        for offset in 0..<8 { value = value << 8 | UInt64(bytes[position + offset]) }
        position += 8
        return value
    }

    /// Reads `count` bytes with no length header.
    public mutating func readRaw(_ count: Int, _ field: String = "opaque") throws -> [UInt8] {
        guard count >= 0, remaining >= count else { throw truncated(field, needed: count) }
        defer { position += count }
        return Array(bytes[position..<position + count])
    }

    /// Reads a variable-size length header (§2.1.2), rejecting the `11` prefix and non-minimal encodings.
    public mutating func readVarint(_ field: String = "length") throws -> Int {
        let start = position
        let first = try readUInt8(field)
        let prefix = first >> 6
        guard prefix != 3 else {
            throw MLSError.badInput(.invalidVarintPrefix, "\(field) at offset \(start) starts with the invalid varint prefix 11", rfc: "§2.1.2")
        }
        let length = 1 << Int(prefix)
        var value = Int(first & 0x3f)
        for _ in 1..<length {
            value = value << 8 | Int(try readUInt8(field))
        }
        if prefix >= 1 && value < 1 << (8 * (length / 2) - 2) {
            throw MLSError.badInput(.nonMinimalVarint, "\(field) at offset \(start) is not minimally encoded", rfc: "§2.1.2")
        }
        return value
    }

    /// Reads `opaque data<V>`.
    public mutating func readOpaque(_ field: String = "opaque") throws -> [UInt8] {
        let length = try readVarint(field)
        guard remaining >= length else { throw truncated(field, needed: length) }
        defer { position += length }
        return Array(bytes[position..<position + length])
    }

    /// Reads a variable-size vector: `body` receives a decoder bounded to the vector's
    /// content and must consume all of it.
    public mutating func readVector<T>(_ field: String, _ body: (inout TLSDecoder) throws -> T) throws -> T {
        let length = try readVarint(field)
        guard remaining >= length else { throw truncated(field, needed: length) }
        var inner = TLSDecoder(bytes: bytes, position: position, end: position + length)
        let value = try body(&inner)
        guard inner.isAtEnd else {
            throw MLSError.badInput(.trailingBytes, "\(field) has \(inner.remaining) byte(s) left over at offset \(inner.position)", rfc: "§2.1")
        }
        position += length
        return value
    }

    /// Reads a vector of decodable elements.
    public mutating func readVector<T: MLSDecodable>(_ field: String, of type: T.Type = T.self) throws -> [T] {
        try readVector(field) { inner in
            var elements: [T] = []
            while !inner.isAtEnd { elements.append(try T(from: &inner)) }
            return elements
        }
    }

    /// Reads `optional<T>` (§2.1.1).
    public mutating func readOptional<T>(_ field: String, _ body: (inout TLSDecoder) throws -> T) throws -> T? {
        let start = position
        switch try readUInt8(field) {
        case 0: return nil
        case 1: return try body(&self)
        case let other:
            throw MLSError.badInput(.invalidOptional, "\(field) at offset \(start) has presence octet \(other), not 0 or 1", rfc: "§2.1.1")
        }
    }

    /// Reads a decodable value.
    public mutating func read<T: MLSDecodable>(_ type: T.Type = T.self) throws -> T {
        try T(from: &self)
    }

    /// Throws unless every byte has been read.
    public func finish(_ what: String) throws {
        guard isAtEnd else {
            throw MLSError.badInput(.trailingBytes, "\(what) is followed by \(remaining) unexpected byte(s) at offset \(position)", rfc: "§2.1")
        }
    }
}
