import Crypto

/// What an observatory publishes for reporters (`isnad observatory keys`): the HPKE key reports
/// are sealed to, and the Ed25519 log key that signs its checkpoints and receipts.
public struct ObservatoryPublicKeys: Sendable {
    /// The X25519 key of HPKE suite DHKEM(X25519, HKDF-SHA256) that reports are sealed to (RFC 9180 §7.1).
    public let sealingKey: Curve25519.KeyAgreement.PublicKey
    /// The Ed25519 log key: signs checkpoints (c2sp.org/tlog-checkpoint) and receipts.
    /// It is the observatory's long-term identity, so reporter keys are derived from it.
    public let logKey: Curve25519.Signing.PublicKey

    /// Creates the key set.
    public init(sealingKey: Curve25519.KeyAgreement.PublicKey, logKey: Curve25519.Signing.PublicKey) {
        self.sealingKey = sealingKey
        self.logKey = logKey
    }

    /// The identifier of ``sealingKey``.
    public var sealingKeyID: ObservatoryKeyID { ObservatoryKeyID(sealingKey: sealingKey) }
}
