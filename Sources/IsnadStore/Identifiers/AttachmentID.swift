import Crypto
import Foundation

/// The relay's name for an attachment: the SHA-256 of the whole encrypted blob, so a blob is
/// named by its content and the relay can check what it received.
public struct AttachmentID: Hashable, Sendable, CustomStringConvertible {
    /// The 32 digest bytes.
    public let bytes: Data

    /// Wraps 32 digest bytes; `nil` for any other length.
    public init?(bytes: Data) {
        guard bytes.count == SHA256.byteCount else { return nil }
        self.bytes = Data(bytes)
    }

    /// Parses 64 lower-case hexadecimal digits (the wire form); `nil` for anything else.
    public init?(_ hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count == 2 * SHA256.byteCount else { return nil }
        var bytes = Data(capacity: SHA256.byteCount)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = Self.nibble(digits[index]), let low = Self.nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        self.bytes = bytes
    }

    /// The ID of a blob: its SHA-256.
    public init(of blob: Data) {
        bytes = Data(SHA256.hash(data: blob))
    }

    /// The ID of a finished hash.
    public init(digest: SHA256.Digest) {
        bytes = Data(digest)
    }

    /// The lower-case hexadecimal text form used on the wire.
    public var description: String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
