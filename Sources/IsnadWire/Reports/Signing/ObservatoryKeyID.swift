import Crypto

/// The 32-byte identifier of an observatory's HPKE sealing key (docs/reports.md, "Keys"):
///
/// ```
/// key_id = SHA-256("isnad observatory key id v1" || X25519 public key)
/// ```
///
/// It names the recipient in a ``SealedReport`` envelope and binds a reporter's signature to
/// one observatory key, so a signed report cannot be replayed to another observatory.
public struct ObservatoryKeyID: Hashable, Sendable {
    /// The domain-separation label hashed in front of the key.
    public static let label = Array("isnad observatory key id v1".utf8)

    /// The 32 identifier bytes.
    public let bytes: [UInt8]

    /// Computes the identifier of an HPKE (X25519) public key.
    public init(sealingKey: Curve25519.KeyAgreement.PublicKey) {
        var hasher = SHA256()
        hasher.update(data: Self.label)
        hasher.update(data: sealingKey.rawRepresentation)
        bytes = Array(hasher.finalize())
    }

    /// Wraps 32 identifier bytes read from the wire.
    /// - Throws: ``WireError/Code/malformed`` unless there are exactly 32 bytes.
    public init(bytes: [UInt8]) throws(WireError) {
        guard bytes.count == 32 else {
            throw WireError.malformed("ObservatoryKeyID", "an observatory key ID has 32 bytes, not \(bytes.count)")
        }
        self.bytes = bytes
    }
}
