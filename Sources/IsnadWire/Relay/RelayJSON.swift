import Foundation

/// How the relay's JSON bodies are written and read: snake_case keys (spelled out in each type),
/// RFC 3339 times, sorted keys. A client reading the relay's answers uses ``makeDecoder()``.
public enum RelayJSON {
    /// The encoder the relay answers with.
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// A time as the encoder writes it (`.iso8601`): RFC 3339 in UTC, whole seconds rounded
    /// down, such as `2026-11-27T21:23:51Z`. For the relay's hand-written answers; years 1 to 9999.
    public static func timestamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let fields: [(value: Int32, digits: Int, after: UInt8)] = [
            (parts.tm_year + 1900, 4, UInt8(ascii: "-")), (parts.tm_mon + 1, 2, UInt8(ascii: "-")), (parts.tm_mday, 2, UInt8(ascii: "T")),
            (parts.tm_hour, 2, UInt8(ascii: ":")), (parts.tm_min, 2, UInt8(ascii: ":")), (parts.tm_sec, 2, UInt8(ascii: "Z")),
        ]
        return String(unsafeUninitializedCapacity: 20) { out in
            var at = 0
            for field in fields {
                var value = Int(field.value)
                for place in (0..<field.digits).reversed() {
                    out[at + place] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
                out[at + field.digits] = field.after
                at += field.digits + 1
            }
            return at
        }
    }

    /// A decoder for the relay's bodies (RFC 3339 times).
    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
