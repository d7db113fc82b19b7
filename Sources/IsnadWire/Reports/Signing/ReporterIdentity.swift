import Crypto

/// A reporter's master secret, from which a separate pseudonymous Ed25519 key is derived for
/// each observatory, so reports sent to two observatories cannot be linked by key
/// (docs/reports.md, "Reporter keys"):
///
/// ```
/// seed_O = HKDF-SHA256(IKM = master seed, salt = "isnad reporter key v1",
///                      info = observatory O's Ed25519 log public key, L = 32)    RFC 5869
/// key_O  = Ed25519 private key with seed seed_O                                  RFC 8032 §5.1.5
/// ```
///
/// The derivation is deterministic: the same master seed always gives the same key for the same
/// observatory, so a restored device keeps its pseudonym. It uses the log key, the observatory's
/// long-term identity, rather than its HPKE key, so that rotating the HPKE key keeps pseudonyms.
public struct ReporterIdentity: Sendable, CustomStringConvertible {
    /// The HKDF salt, a domain-separation label.
    public static let derivationLabel = Array("isnad reporter key v1".utf8)
    /// The size of the master seed.
    public static let seedByteCount = 32

    private let seed: SymmetricKey

    /// Restores an identity from its master seed.
    /// - Parameter masterSeed: 32 secret bytes, as stored by the client.
    /// - Throws: ``WireError/Code/invalidKey`` (misuse) for any other size.
    public init(masterSeed: [UInt8]) throws(WireError) {
        guard masterSeed.count == Self.seedByteCount else {
            throw WireError(.invalidKey, kind: .misuse, "a reporter master seed has exactly 32 bytes", field: "masterSeed")
        }
        seed = SymmetricKey(data: masterSeed)
    }

    /// Creates a new identity from `generator`; pass `SystemRandomNumberGenerator` outside tests.
    public static func generate<R: RandomNumberGenerator>(using generator: inout R) -> ReporterIdentity {
        var bytes = [UInt8]()
        while bytes.count < seedByteCount {
            withUnsafeBytes(of: generator.next().littleEndian) { bytes.append(contentsOf: $0) }
        }
        // 32 bytes by construction, so this cannot fail.
        return (try? ReporterIdentity(masterSeed: Array(bytes.prefix(seedByteCount))))
            ?? { preconditionFailure("a 32-byte seed was rejected") }()
    }

    /// The master seed, to store in the client's encrypted store. A secret.
    public var masterSeed: [UInt8] { seed.withUnsafeBytes { Array($0) } }

    /// The pseudonymous key for one observatory.
    /// - Parameter observatory: the observatory's published keys; only its log key is used.
    public func key(for observatory: ObservatoryPublicKeys) -> ReporterKey {
        key(forLogKey: observatory.logKey)
    }

    /// The pseudonymous key for the observatory whose Ed25519 log key is `logKey`.
    public func key(forLogKey logKey: Curve25519.Signing.PublicKey) -> ReporterKey {
        let derived = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: seed, salt: Self.derivationLabel, info: logKey.rawRepresentation, outputByteCount: 32)
        // Every 32-byte string is a valid Ed25519 seed (RFC 8032 §5.1.5); the initialiser only checks the size.
        let privateKey = derived.withUnsafeBytes { try? Curve25519.Signing.PrivateKey(rawRepresentation: $0) }
        return ReporterKey(privateKey: privateKey ?? { preconditionFailure("a 32-byte Ed25519 seed was rejected") }())
    }

    /// Never shows the seed.
    public var description: String { "ReporterIdentity(<secret>)" }
}
