import Crypto
import Foundation

/// `opaque SignaturePublicKey<V>` (§5.1.1): Ed25519 raw bytes, or an uncompressed
/// point (0x04 || X || Y) for ECDSA.
public struct SignaturePublicKey: MLSCodable, Hashable, Sendable {
    /// The encoded key.
    public var bytes: [UInt8]
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public func encode(to encoder: inout TLSEncoder) { encoder.writeOpaque(bytes) }
    public init(from decoder: inout TLSDecoder) throws { bytes = try decoder.readOpaque("signature_key") }
}

/// A signing key of one cipher suite. Its description never shows the key.
public struct SignaturePrivateKey: Sendable, CustomStringConvertible {
    enum Key: Sendable {
        case ed25519(Curve25519.Signing.PrivateKey)
        case p256(P256.Signing.PrivateKey)
        case p384(P384.Signing.PrivateKey)
        case p521(P521.Signing.PrivateKey)
    }

    let key: Key
    /// The matching public key, in the suite's wire format.
    public let publicKey: SignaturePublicKey

    init(_ key: Key) {
        self.key = key
        switch key {
        case .ed25519(let k): publicKey = SignaturePublicKey(Array(k.publicKey.rawRepresentation))
        case .p256(let k): publicKey = SignaturePublicKey(Array(k.publicKey.x963Representation))
        case .p384(let k): publicKey = SignaturePublicKey(Array(k.publicKey.x963Representation))
        case .p521(let k): publicKey = SignaturePublicKey(Array(k.publicKey.x963Representation))
        }
    }

    /// The private key in the test-vector format: the Ed25519 seed, or the ECDSA scalar big-endian.
    package var rawRepresentation: SecretBytes {
        switch key {
        case .ed25519(let k): SecretBytes(Array(k.rawRepresentation))
        case .p256(let k): SecretBytes(Array(k.rawRepresentation))
        case .p384(let k): SecretBytes(Array(k.rawRepresentation))
        case .p521(let k): SecretBytes(Array(k.rawRepresentation))
        }
    }

    public var description: String { "SignaturePrivateKey(redacted)" }
}

extension CipherSuiteProvider {
    /// Imports a signing key: an Ed25519 seed or an ECDSA scalar (big-endian). A scalar shorter
    /// than the field-element size (leading zero bytes dropped, as some encoders do) is left-padded.
    public func signaturePrivateKey(_ raw: [UInt8]) throws -> SignaturePrivateKey {
        let raw = signature == .ed25519 ? raw : ECScalar.leftPadded(raw, to: signatureScalarLength)
        do {
            switch signature {
            case .ed25519: return SignaturePrivateKey(.ed25519(try Curve25519.Signing.PrivateKey(rawRepresentation: raw)))
            case .p256: return SignaturePrivateKey(.p256(try P256.Signing.PrivateKey(rawRepresentation: raw)))
            case .p384: return SignaturePrivateKey(.p384(try P384.Signing.PrivateKey(rawRepresentation: raw)))
            case .p521: return SignaturePrivateKey(.p521(try P521.Signing.PrivateKey(rawRepresentation: raw)))
            }
        } catch {
            throw MLSError.badInput(.invalidKey, "a \(raw.count)-byte signature private key is not valid for \(suite)")
        }
    }

    /// Generates a signing key from `generator`.
    public func generateSignatureKey<R: RandomNumberGenerator>(using generator: inout R) -> SignaturePrivateKey {
        while true {
            let raw: [UInt8]
            switch signature {
            case .ed25519: raw = randomBytes(32, using: &generator)
            case .p256, .p384, .p521:
                var candidate = randomBytes(signatureScalarLength, using: &generator)
                if signature == .p521 { candidate[0] &= 0x01 }
                guard ECScalar.isValid(candidate, order: signatureCurveOrder) else { continue }
                raw = candidate
            }
            if let key = try? signaturePrivateKey(raw) { return key }
        }
    }

    private var signatureScalarLength: Int {
        switch signature {
        case .ed25519: 32
        case .p256: 32
        case .p384: 48
        case .p521: 66
        }
    }

    private var signatureCurveOrder: [UInt8] {
        switch signature {
        case .ed25519, .p256: ECScalar.p256Order
        case .p384: ECScalar.p384Order
        case .p521: ECScalar.p521Order
        }
    }

    /// `Signature.Sign(key, message)`: Ed25519, or ECDSA with the suite's hash, DER-encoded (§5.1.2).
    public func sign(_ message: [UInt8], with privateKey: SignaturePrivateKey) throws -> [UInt8] {
        do {
            switch privateKey.key {
            case .ed25519(let k): return Array(try k.signature(for: message))
            case .p256(let k): return Array(try k.signature(for: message).derRepresentation)
            case .p384(let k): return Array(try k.signature(for: message).derRepresentation)
            case .p521(let k): return Array(try k.signature(for: message).derRepresentation)
            }
        } catch {
            throw MLSError(.primitiveFailed, .internal, "signing failed")
        }
    }

    /// `Signature.Verify(key, message, signature)`. Malformed keys or signatures verify as false.
    public func verify(_ signatureBytes: [UInt8], of message: [UInt8], publicKey: SignaturePublicKey) -> Bool {
        switch signature {
        case .ed25519:
            guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey.bytes) else { return false }
            return key.isValidSignature(signatureBytes, for: message)
        case .p256:
            guard let key = try? P256.Signing.PublicKey(x963Representation: publicKey.bytes),
                  let sig = try? P256.Signing.ECDSASignature(derRepresentation: signatureBytes) else { return false }
            return key.isValidSignature(sig, for: message)
        case .p384:
            guard let key = try? P384.Signing.PublicKey(x963Representation: publicKey.bytes),
                  let sig = try? P384.Signing.ECDSASignature(derRepresentation: signatureBytes) else { return false }
            return key.isValidSignature(sig, for: message)
        case .p521:
            guard let key = try? P521.Signing.PublicKey(x963Representation: publicKey.bytes),
                  let sig = try? P521.Signing.ECDSASignature(derRepresentation: signatureBytes) else { return false }
            return key.isValidSignature(sig, for: message)
        }
    }

    /// `SignWithLabel(key, label, content)` (§5.1.2) over `SignContent { "MLS 1.0 " + label; content }`.
    public func signWithLabel(_ privateKey: SignaturePrivateKey, label: String, content: [UInt8]) throws -> [UInt8] {
        try sign(Self.labeled(label, content), with: privateKey)
    }

    /// `VerifyWithLabel(key, label, content, signature)` (§5.1.2).
    public func verifyWithLabel(_ publicKey: SignaturePublicKey, label: String, content: [UInt8], signature: [UInt8]) -> Bool {
        verify(signature, of: Self.labeled(label, content), publicKey: publicKey)
    }

    /// The encoded `{ opaque label<V> = "MLS 1.0 " + label; opaque content<V>; }` shared by SignContent and EncryptContext.
    static func labeled(_ label: String, _ content: [UInt8]) -> [UInt8] {
        var encoder = TLSEncoder(capacity: content.count + label.utf8.count + 16)
        encoder.writeLabel(label)
        encoder.writeOpaque(content)
        return encoder.bytes
    }
}

/// Range checks of elliptic-curve scalars against the group order (SEC 2 constants).
enum ECScalar {
    static let p256Order = hexBytes("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551")
    static let p384Order = hexBytes("ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973")
    static let p521Order = hexBytes("01ff" + String(repeating: "ffffffff", count: 7) + "fffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409")

    /// `scalar` with zero bytes in front up to `length` (unchanged if already as long).
    static func leftPadded(_ scalar: [UInt8], to length: Int) -> [UInt8] {
        scalar.count >= length ? scalar : [UInt8](repeating: 0, count: length - scalar.count) + scalar
    }

    /// Whether the big-endian `scalar` (same length as `order`) is in [1, order - 1].
    static func isValid(_ scalar: [UInt8], order: [UInt8]) -> Bool {
        guard scalar.count == order.count, scalar.contains(where: { $0 != 0 }) else { return false }
        for (s, n) in zip(scalar, order) where s != n { return s < n }
        return false
    }

    private static func hexBytes(_ hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16) ?? 0)
            index = next
        }
        return bytes
    }
}
