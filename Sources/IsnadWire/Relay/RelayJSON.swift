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

    /// A decoder for the relay's bodies (RFC 3339 times).
    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
