import Foundation

/// A quick reader for the plainest JSON objects: string keys whose values are strings or arrays
/// of strings, every string printable ASCII without escapes. That is what clients send to the
/// relay's busiest route (`POST /v1/messages`: UUIDs and base64url), and reading it here costs a
/// small part of what `JSONDecoder` costs (issue 4's profile had `JSONDecoder` at 5% of the
/// relay's CPU per message).
///
/// It answers `nil` for anything outside that subset — other value types, escapes, other
/// bytes, duplicate keys, text after the object — and callers then decode the body with
/// `JSONDecoder` as before, which also words every error. Whenever it answers, it answers what
/// `JSONDecoder` would (checked against it by `FlatJSONTests` and the `flat-json` fuzz harness).
public enum FlatJSON {
    /// A value of a flat object.
    public enum Value: Hashable, Sendable {
        case string(String)
        case strings([String])
    }

    /// A value of a flat object as the bytes between its quotes (printable ASCII, no `"` or
    /// `\`), pointing into the bytes being read: valid only during ``fields(_:_:)``'s visit.
    public enum RawValue {
        case string(UnsafeRawBufferPointer)
        case strings([UnsafeRawBufferPointer])
    }

    /// The object's fields, or `nil` if `bytes` is not a flat object of the subset above.
    public static func object(_ bytes: UnsafeRawBufferPointer) -> [String: Value]? {
        var fields: [String: Value] = [:]
        let read = Self.fields(bytes) { key, value in
            let decoded: Value = switch value {
            case .string(let text): .string(String(decoding: text, as: UTF8.self))
            case .strings(let texts): .strings(texts.map { String(decoding: $0, as: UTF8.self) })
            }
            return fields.updateValue(decoded, forKey: String(decoding: key, as: UTF8.self)) == nil
        }
        return read ? fields : nil
    }

    /// Reads a flat object of the subset above without making a `String` of anything: `visit` is
    /// given each field's key and value in order, as bytes of `bytes`, and answers whether to go
    /// on. `false` if `bytes` is not such an object or `visit` stopped; duplicate keys are for
    /// `visit` to refuse (``object(_:)`` does).
    public static func fields(_ bytes: UnsafeRawBufferPointer, _ visit: (UnsafeRawBufferPointer, RawValue) -> Bool) -> Bool {
        var reader = Reader(bytes: bytes)
        return reader.object(visit)
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var at = 0

        mutating func skipSpace() {
            while at < bytes.count {
                switch bytes[at] {
                case 0x20, 0x09, 0x0A, 0x0D: at += 1
                default: return
                }
            }
        }

        /// Reads `byte` after optional space.
        mutating func take(_ byte: UInt8) -> Bool {
            skipSpace()
            guard at < bytes.count, bytes[at] == byte else { return false }
            at += 1
            return true
        }

        /// A string of printable ASCII other than `"` and `\`, after optional space: the bytes
        /// between its quotes.
        mutating func string() -> UnsafeRawBufferPointer? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = at
            // Eight bytes at a time while none of them needs a look (a payload is over a
            // thousand bytes of base64url); the byte loop below then finds what stopped it.
            while at + 8 <= bytes.count, !Self.mayStop(bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self)) {
                at += 8
            }
            while at < bytes.count {
                let byte = bytes[at]
                if byte == UInt8(ascii: "\"") {
                    at += 1
                    return UnsafeRawBufferPointer(rebasing: bytes[start..<(at - 1)])
                }
                guard byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\\") else { return nil }
                at += 1
            }
            return nil
        }

        /// Whether any of the eight bytes of `word` may be one the string loop stops at: `"`,
        /// `\`, below 0x20 or above 0x7E. Never `false` for such a byte (it may be `true` for
        /// none, which only sends those bytes through the byte loop).
        static func mayStop(_ word: UInt64) -> Bool {
            let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
            func hasZeroByte(_ value: UInt64) -> Bool { (value &- ones) & ~value & highs != 0 }
            let below0x20 = (word &- 0x20 &* ones) & ~word & highs != 0
            return word & highs != 0 || below0x20 || hasZeroByte(word ^ (0x22 &* ones)) || hasZeroByte(word ^ (0x5C &* ones))
                || hasZeroByte(word ^ (0x7F &* ones))
        }

        mutating func value() -> RawValue? {
            skipSpace()
            guard at < bytes.count else { return nil }
            if bytes[at] == UInt8(ascii: "\"") { return string().map(RawValue.string) }
            guard take(UInt8(ascii: "[")) else { return nil }
            var strings: [UnsafeRawBufferPointer] = []
            if take(UInt8(ascii: "]")) { return .strings(strings) }
            repeat {
                guard let element = string() else { return nil }
                strings.append(element)
            } while take(UInt8(ascii: ","))
            return take(UInt8(ascii: "]")) ? .strings(strings) : nil
        }

        mutating func object(_ visit: (UnsafeRawBufferPointer, RawValue) -> Bool) -> Bool {
            guard take(UInt8(ascii: "{")) else { return false }
            if !take(UInt8(ascii: "}")) {
                repeat {
                    guard let key = string(), take(UInt8(ascii: ":")), let value = value(), visit(key, value) else { return false }
                } while take(UInt8(ascii: ","))
                guard take(UInt8(ascii: "}")) else { return false }
            }
            skipSpace()
            return at == bytes.count
        }
    }
}

extension FlatJSON.Value: Decodable {
    /// As `JSONDecoder` reads the same value, for comparing the two.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .string(text)
        } else {
            self = .strings(try container.decode([String].self))
        }
    }
}
