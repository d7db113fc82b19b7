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
        guard text.utf8.allSatisfy({ Self.alphabet.contains($0) }), text.utf8.count % 4 != 1 else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: base64) else { return nil }
        self.data = data
        guard self.text == text else { return nil }
    }

    /// The unpadded base64url text.
    public var text: String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
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

    private static let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
}
