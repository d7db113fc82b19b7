import Crypto
import Foundation

/// Secret key material: it never prints its bytes, and compares in constant time.
///
/// `description` and `debugDescription` show only the length, so a secret that reaches a
/// log line or an error by accident leaks nothing.
public struct SecretBytes: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The secret itself. Package-internal so that only Isnad's own modules can read it;
    /// applications use ``withUnsafeBytes(_:)``.
    package let bytes: [UInt8]

    /// Wraps secret bytes.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// A secret of `count` zero bytes (the RFC's `0` in the key schedule).
    public static func zero(count: Int) -> SecretBytes { SecretBytes([UInt8](repeating: 0, count: count)) }

    /// The length in bytes.
    public var count: Int { bytes.count }

    /// Gives `body` read access to the secret.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes(body)
    }

    public var description: String { "SecretBytes(\(bytes.count) bytes, redacted)" }
    public var debugDescription: String { description }

    /// Hashes only the length, so hashing leaks nothing and stays consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(bytes.count) }

    /// Constant-time comparison (swift-crypto's `SymmetricKey` equality).
    public static func == (lhs: SecretBytes, rhs: SecretBytes) -> Bool {
        constantTimeEquals(lhs.bytes, rhs.bytes)
    }
}

/// Compares two byte strings in time that depends only on their lengths.
///
/// swift-crypto's `SymmetricKey` equality is its constant-time comparison; MACs, tags and
/// secrets are compared through it, never with `==` on arrays.
@inlinable
public func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
    SymmetricKey(data: lhs) == SymmetricKey(data: rhs)
}
