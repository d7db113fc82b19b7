import Foundation

/// Strict text helpers shared by signed notes and checkpoints (c2sp.org/signed-note, Conventions).
enum NoteEncoding {
    /// Standard base64 with padding (RFC 4648 §4).
    static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

    /// Decodes canonical standard base64 only: padding required, no whitespace, no stray bits.
    static func decodeBase64(_ text: Substring) -> [UInt8]? {
        guard !text.isEmpty, text.utf8.count % 4 == 0,
              text.utf8.allSatisfy({ isBase64Byte($0) }),
              let data = Data(base64Encoded: String(text))
        else { return nil }
        // Re-encoding rejects non-zero padding bits, so each byte string has one spelling.
        guard data.base64EncodedString() == text else { return nil }
        return [UInt8](data)
    }

    private static func isBase64Byte(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39)
            || b == 0x2b || b == 0x2f || b == 0x3d
    }

    /// Fixed-length lowercase hex of a key ID (c2sp.org/signed-note, Conventions).
    static func hex(_ value: UInt32) -> String {
        let digits = Array("0123456789abcdef")
        return String((0..<8).reversed().map { digits[Int((value >> (UInt32($0) * 4)) & 0xf)] })
    }

    /// Parses exactly eight lowercase hex digits.
    static func parseHex32(_ text: Substring) -> UInt32? {
        guard text.utf8.count == 8 else { return nil }
        var value: UInt32 = 0
        for b in text.utf8 {
            let nibble: UInt8
            switch b {
            case 0x30...0x39: nibble = b - 0x30
            case 0x61...0x66: nibble = b - 0x61 + 10
            default: return nil
            }
            value = value << 4 | UInt32(nibble)
        }
        return value
    }

    /// Key names are non-empty and contain no Unicode space and no plus (c2sp.org/signed-note, Format).
    static func isValidKeyName(_ name: Substring) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { scalar in
            scalar != "+" && !scalar.properties.isWhitespace && scalar.value >= 0x20
        }
    }

    /// Checks a key name and throws ``TransparencyError/Code/invalidKeyName`` if it is not valid.
    static func requireKeyName(_ name: String) throws(TransparencyError) {
        guard isValidKeyName(name[...]) else {
            throw TransparencyError(
                .invalidKeyName, kind: .misuse,
                "a key name must be non-empty and contain no spaces and no '+'",
                specRule: "c2sp.org/signed-note, Format")
        }
    }

    /// Valid UTF-8 with no ASCII control character except newline (c2sp.org/signed-note, Format).
    static func validText(_ bytes: [UInt8]) -> String? {
        guard bytes.allSatisfy({ $0 >= 0x20 || $0 == 0x0a }) else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }
}
