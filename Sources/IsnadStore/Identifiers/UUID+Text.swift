import Foundation

extension UUID {
    /// Parses the 36-character text form `8-4-4-4-12` hex digits, either case; `nil` for
    /// anything else.
    ///
    /// The same UUIDs as Foundation's `UUID(uuidString:)`, without its per-byte `sscanf`, which
    /// the relay paid on every message ID and recipient (issue 4's profile). Stricter where
    /// `sscanf` is lenient: no signs or spaces inside a byte.
    public init?(canonical text: String) {
        var text = text
        guard let uuid = text.withUTF8(UUID.parse) else { return nil }
        self = uuid
    }

    /// The same from the text's bytes (a JSON string read in place); `nil` as ``init(canonical:)``.
    public init?(canonical bytes: UnsafeRawBufferPointer) {
        guard let uuid = UUID.parse(bytes.assumingMemoryBound(to: UInt8.self)) else { return nil }
        self = uuid
    }

    /// The lower-case 36-character text form used on the wire.
    public var lowercasedText: String {
        withUnsafeBytes(of: uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { out in
                var at = 0
                for (index, byte) in bytes.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        out[at] = UInt8(ascii: "-")
                        at += 1
                    }
                    out[at] = Self.hexDigit(byte >> 4)
                    out[at + 1] = Self.hexDigit(byte & 0x0f)
                    at += 2
                }
                return at
            }
        }
    }

    private static func parse(_ text: UnsafeBufferPointer<UInt8>) -> UUID? {
        guard text.count == 36 else { return nil }
        var raw: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let complete = withUnsafeMutableBytes(of: &raw) { bytes -> Bool in
            var at = 0
            for index in 0..<16 {
                if index == 4 || index == 6 || index == 8 || index == 10 {
                    guard text[at] == UInt8(ascii: "-") else { return false }
                    at += 1
                }
                guard let high = hexValue(text[at]), let low = hexValue(text[at + 1]) else { return false }
                bytes[index] = high << 4 | low
                at += 2
            }
            return true
        }
        return complete ? UUID(uuid: raw) : nil
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }

    private static func hexValue(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
