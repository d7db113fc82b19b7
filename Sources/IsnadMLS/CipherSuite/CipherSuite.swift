/// An MLS cipher suite (RFC 9420 §5.1, IANA registry in §17.1).
public struct CipherSuite: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519
    public static let x25519AES128GCMSHA256Ed25519 = CipherSuite(rawValue: 0x0001)
    /// MLS_128_DHKEMP256_AES128GCM_SHA256_P256
    public static let p256AES128GCMSHA256P256 = CipherSuite(rawValue: 0x0002)
    /// MLS_128_DHKEMX25519_CHACHA20POLY1305_SHA256_Ed25519
    public static let x25519ChaCha20Poly1305SHA256Ed25519 = CipherSuite(rawValue: 0x0003)
    /// MLS_256_DHKEMX448_AES256GCM_SHA512_Ed448 (no X448/Ed448 in swift-crypto: unsupported)
    public static let x448AES256GCMSHA512Ed448 = CipherSuite(rawValue: 0x0004)
    /// MLS_256_DHKEMP521_AES256GCM_SHA512_P521
    public static let p521AES256GCMSHA512P521 = CipherSuite(rawValue: 0x0005)
    /// MLS_256_DHKEMX448_CHACHA20POLY1305_SHA512_Ed448 (no X448/Ed448 in swift-crypto: unsupported)
    public static let x448ChaCha20Poly1305SHA512Ed448 = CipherSuite(rawValue: 0x0006)
    /// MLS_256_DHKEMP384_AES256GCM_SHA384_P384
    public static let p384AES256GCMSHA384P384 = CipherSuite(rawValue: 0x0007)

    /// The suites Isnad implements, in preference order.
    public static let supported: [CipherSuite] = [
        .x25519AES128GCMSHA256Ed25519, .x25519ChaCha20Poly1305SHA256Ed25519,
        .p256AES128GCMSHA256P256, .p384AES256GCMSHA384P384, .p521AES256GCMSHA512P521,
    ]

    /// Whether Isnad can run this suite.
    public var isSupported: Bool { Self.supported.contains(self) }

    /// The IANA name, or the hexadecimal value for an unknown suite.
    public var description: String {
        switch rawValue {
        case 0x0001: "MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519"
        case 0x0002: "MLS_128_DHKEMP256_AES128GCM_SHA256_P256"
        case 0x0003: "MLS_128_DHKEMX25519_CHACHA20POLY1305_SHA256_Ed25519"
        case 0x0004: "MLS_256_DHKEMX448_AES256GCM_SHA512_Ed448"
        case 0x0005: "MLS_256_DHKEMP521_AES256GCM_SHA512_P521"
        case 0x0006: "MLS_256_DHKEMX448_CHACHA20POLY1305_SHA512_Ed448"
        case 0x0007: "MLS_256_DHKEMP384_AES256GCM_SHA384_P384"
        default: "0x" + String(rawValue, radix: 16).leftPadded(to: 4)
        }
    }

    /// The value as four hexadecimal digits, for example `0x0001`.
    public var hexValue: String { "0x" + String(rawValue, radix: 16).leftPadded(to: 4) }

    public static func < (lhs: CipherSuite, rhs: CipherSuite) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension CipherSuite: MLSCodable {
    public func encode(to encoder: inout TLSEncoder) { encoder.write(rawValue) }
    public init(from decoder: inout TLSDecoder) throws { rawValue = try decoder.readUInt16("cipher_suite") }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
