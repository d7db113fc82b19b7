import Foundation

/// Bytes carried in JSON as unpadded base64url (RFC 4648 §5), the relay API's only encoding for bytes.
public struct Base64URL: Codable, Hashable, Sendable {
    /// The bytes.
    public var data: Data

    /// Wraps bytes.
    public init(_ data: Data) { self.data = data }

    /// Decodes unpadded base64url; `nil` for any other text (padding, `+`, `/`, whitespace, or
    /// non-zero unused bits: only the canonical text of some bytes is accepted, so one payload
    /// has one spelling).
    public init?(text: String) {
        self.init(text: text, from: 0)
    }

    /// Decodes the unpadded base64url that follows the first `offset` bytes of `text`'s UTF-8
    /// (a header's value after its scheme), without copying it out first; `nil` as ``init(text:)``,
    /// or if `text` is shorter than `offset`.
    public init?(text: String, from offset: Int) {
        var text = text
        guard let data = text.withUTF8({ bytes in
            offset <= bytes.count ? Self.decode(UnsafeBufferPointer(rebasing: bytes[offset...])) : nil
        }) else { return nil }
        self.data = data
    }

    /// Decodes unpadded base64url from its bytes (a JSON string read in place); `nil` as
    /// ``init(text:)``.
    public init?(ascii bytes: UnsafeRawBufferPointer) {
        guard let data = Self.decode(bytes.assumingMemoryBound(to: UInt8.self)) else { return nil }
        self.data = data
    }

    /// The unpadded base64url text.
    public var text: String {
        let count = data.count
        let length = count / 3 * 4 + [0, 2, 3][count % 3]
        return String(unsafeUninitializedCapacity: length) { out in
            data.withUnsafeBytes { bytes in
                var o = 0
                var i = 0
                func put(_ sextet: UInt32) {
                    out[o] = Self.symbols[Int(sextet & 63)]
                    o += 1
                }
                while i + 3 <= count {
                    let word = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
                    put(word >> 18); put(word >> 12); put(word >> 6); put(word)
                    i += 3
                }
                switch count - i {
                case 1:
                    let word = UInt32(bytes[i]) << 16
                    put(word >> 18); put(word >> 12)
                case 2:
                    let word = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
                    put(word >> 18); put(word >> 12); put(word >> 6)
                default:
                    break
                }
            }
            return length
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let value = Base64URL(text: try container.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not unpadded base64url")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }

    /// The 64 symbols of the URL- and filename-safe alphabet, in value order.
    private static let symbols = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Each byte's value in the alphabet, or 0xFF for a byte outside it.
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, symbol) in symbols.enumerated() { table[Int(symbol)] = UInt8(value) }
        return table
    }()

    /// Canonical unpadded base64url to bytes; `nil` for a symbol outside the alphabet, a length
    /// of 4k+1, or non-zero bits after the last byte.
    private static func decode(_ text: UnsafeBufferPointer<UInt8>) -> Data? {
        let count = text.count
        let tail = count % 4
        guard tail != 1 else { return nil }
        var result = Data(count: count / 4 * 3 + max(0, tail - 1))
        let valid = values.withUnsafeBufferPointer { (values: UnsafeBufferPointer<UInt8>) -> Bool in
            result.withUnsafeMutableBytes { (out: UnsafeMutableRawBufferPointer) -> Bool in
                var o = 0
                var i = 0
                var bad: UInt8 = 0
                func value(_ index: Int) -> UInt32 {
                    let v = values[Int(text[index])]
                    bad |= v & 0xC0
                    return UInt32(v & 63)
                }
                while i + 4 <= count {
                    let word = value(i) << 18 | value(i + 1) << 12 | value(i + 2) << 6 | value(i + 3)
                    out[o] = UInt8(truncatingIfNeeded: word >> 16)
                    out[o + 1] = UInt8(truncatingIfNeeded: word >> 8)
                    out[o + 2] = UInt8(truncatingIfNeeded: word)
                    o += 3
                    i += 4
                }
                switch tail {
                case 2:
                    let word = value(i) << 18 | value(i + 1) << 12
                    guard word & 0xFFFF == 0 else { return false }
                    out[o] = UInt8(truncatingIfNeeded: word >> 16)
                case 3:
                    let word = value(i) << 18 | value(i + 1) << 12 | value(i + 2) << 6
                    guard word & 0xFF == 0 else { return false }
                    out[o] = UInt8(truncatingIfNeeded: word >> 16)
                    out[o + 1] = UInt8(truncatingIfNeeded: word >> 8)
                default:
                    break
                }
                return bad == 0
            }
        }
        return valid ? result : nil
    }
}
