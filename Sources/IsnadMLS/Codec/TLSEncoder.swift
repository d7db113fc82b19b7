/// Writes the TLS presentation language as RFC 9420 extends it (§2.1).
///
/// Fixed-width integers are big-endian; variable-size vectors carry the minimal
/// QUIC-style varint length header of §2.1.2; `optional<T>` is a presence octet.
public struct TLSEncoder: Sendable {
    /// The bytes written so far.
    public internal(set) var bytes: [UInt8]

    /// Creates an empty encoder, reserving room for `capacity` bytes.
    public init(capacity: Int = 64) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Writes one octet.
    public mutating func write(_ value: UInt8) { bytes.append(value) }

    /// Writes a big-endian `uint16`.
    public mutating func write(_ value: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    /// Writes a big-endian `uint32`.
    public mutating func write(_ value: UInt32) {
        for shift in stride(from: 24, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift)))
        }
    }

    /// Writes a big-endian `uint64`.
    public mutating func write(_ value: UInt64) {
        for shift in stride(from: 56, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }

    /// Writes bytes with no length header (a fixed-size field such as `opaque reuse_guard[4]`).
    public mutating func writeRaw<S: Sequence>(_ raw: S) where S.Element == UInt8 {
        bytes.append(contentsOf: raw)
    }

    /// Writes `opaque data<V>`: a minimal varint length, then the bytes (§2.1.2).
    public mutating func writeOpaque<C: Collection>(_ data: C) where C.Element == UInt8 {
        Self.appendVarint(UInt32(truncatingIfNeeded: data.count), to: &bytes)
        bytes.append(contentsOf: data)
    }

    /// Writes a variable-size vector whose content `body` writes; the length header is
    /// inserted in front once the content's size is known.
    public mutating func writeVector(_ body: (inout TLSEncoder) -> Void) {
        let start = bytes.count
        body(&self)
        let length = bytes.count - start
        var header: [UInt8] = []
        Self.appendVarint(UInt32(truncatingIfNeeded: length), to: &header)
        bytes.insert(contentsOf: header, at: start)
    }

    /// Writes a vector of encodable elements.
    public mutating func writeVector<T: MLSEncodable>(_ elements: [T]) {
        writeVector { encoder in
            for element in elements { element.encode(to: &encoder) }
        }
    }

    /// Writes `optional<T>` (§2.1.1).
    public mutating func writeOptional<T>(_ value: T?, _ body: (T, inout TLSEncoder) -> Void) {
        if let value {
            write(UInt8(1))
            body(value, &self)
        } else {
            write(UInt8(0))
        }
    }

    /// Writes an encodable value.
    public mutating func write<T: MLSEncodable>(_ value: T) { value.encode(to: &self) }

    /// The largest length a variable-size vector can carry (§2.1.2): 2^30 - 1.
    public static let maximumVectorLength = (1 << 30) - 1

    /// Appends the minimal varint encoding of `value` (at most 2^30 - 1).
    static func appendVarint(_ value: UInt32, to bytes: inout [UInt8]) {
        // Callers never produce vectors of a gigabyte; a larger value is a bug, not bad input.
        precondition(value <= UInt32(maximumVectorLength), "vector longer than 2^30 - 1 bytes")
        switch value {
        case 0..<64:
            bytes.append(UInt8(value))
        case 64..<16384:
            bytes.append(0x40 | UInt8(value >> 8))
            bytes.append(UInt8(truncatingIfNeeded: value))
        default:
            bytes.append(0x80 | UInt8(truncatingIfNeeded: value >> 24))
            bytes.append(UInt8(truncatingIfNeeded: value >> 16))
            bytes.append(UInt8(truncatingIfNeeded: value >> 8))
            bytes.append(UInt8(truncatingIfNeeded: value))
        }
    }
}
