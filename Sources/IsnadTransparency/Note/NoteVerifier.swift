import Crypto

/// A known Ed25519 note key: its name, key ID and public key (c2sp.org/signed-note, Verifier keys).
///
/// Its text form, the verifier key or *vkey*, is `<name>+hex(key ID)+base64(0x01 || public key)`.
public struct NoteVerifier: Sendable {
    /// The signature type byte of Ed25519 note signatures (c2sp.org/signed-note, Signature types).
    public static let ed25519SignatureType: UInt8 = 0x01

    /// The key name, as written in signature lines.
    public let name: String
    /// The key ID, SHA-256(name || 0x0A || 0x01 || public key)[:4] big-endian.
    public let keyID: UInt32
    /// The Ed25519 public key.
    public let publicKey: Curve25519.Signing.PublicKey

    /// Creates a verifier for a name and an Ed25519 public key, computing its key ID.
    /// - Throws: ``TransparencyError/Code/invalidKeyName`` for a name with a space or plus, or empty.
    public init(name: String, publicKey: Curve25519.Signing.PublicKey) throws(TransparencyError) {
        try NoteEncoding.requireKeyName(name)
        self.name = name
        self.publicKey = publicKey
        self.keyID = Self.keyID(name: name, publicKey: Array(publicKey.rawRepresentation))
    }

    /// A verifier with a stated key ID that is not checked; only for simulating key ID collisions,
    /// which an attacker can grind for in 2^32 work (c2sp.org/signed-note, Signatures).
    init(name: String, collidingKeyID keyID: UInt32, publicKey: Curve25519.Signing.PublicKey) {
        self.name = name
        self.keyID = keyID
        self.publicKey = publicKey
    }

    /// Parses a verifier key string, strictly (c2sp.org/signed-note, Verifier keys).
    /// - Parameter verifierKey: e.g. `example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k`.
    /// - Throws: ``TransparencyError/Code/malformedVerifierKey``, ``TransparencyError/Code/unsupportedSignatureType``
    ///   or ``TransparencyError/Code/keyIDMismatch`` if the stated key ID is not the computed one.
    public init(verifierKey: String) throws(TransparencyError) {
        // The base64 part may itself contain "+", so split only at the first separators.
        let parts = verifierKey.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, NoteEncoding.isValidKeyName(parts[0]),
              let keyID = NoteEncoding.parseHex32(parts[1]),
              let material = NoteEncoding.decodeBase64(parts[2]), !material.isEmpty
        else {
            throw Self.malformed("a verifier key is <name>+<8 lowercase hex digits>+<base64 of type and key>")
        }
        guard material[0] == Self.ed25519SignatureType else {
            throw TransparencyError(
                .unsupportedSignatureType, "only Ed25519 (signature type 0x01) verifier keys are supported",
                specRule: "c2sp.org/signed-note, Signature types")
        }
        guard material.count == 33,
              let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: material[1...])
        else { throw Self.malformed("an Ed25519 verifier key carries exactly 32 public key bytes") }
        try self.init(name: String(parts[0]), publicKey: publicKey)
        guard self.keyID == keyID else {
            throw TransparencyError(
                .keyIDMismatch, "the verifier key's key ID does not match its name and public key",
                specRule: "c2sp.org/signed-note, Ed25519 signatures")
        }
    }

    /// The verifier key string `<name>+hex(key ID)+base64(0x01 || public key)`.
    public var verifierKey: String {
        "\(name)+\(NoteEncoding.hex(keyID))+\(NoteEncoding.base64([Self.ed25519SignatureType] + publicKey.rawRepresentation))"
    }

    /// Whether `signature` is a valid Ed25519 signature of `text` by this key (RFC 8032).
    /// - Parameters:
    ///   - signature: the bytes after the key ID.
    ///   - text: the note text, including its final newline.
    public func isValidSignature(_ signature: [UInt8], for text: [UInt8]) -> Bool {
        signature.count == 64 && publicKey.isValidSignature(signature, for: text)
    }

    /// SHA-256(name || 0x0A || 0x01 || public key)[:4] as a big-endian integer
    /// (c2sp.org/signed-note, Ed25519 signatures).
    static func keyID(name: String, publicKey: [UInt8]) -> UInt32 {
        var hasher = SHA256()
        hasher.update(data: Array(name.utf8))
        hasher.update(data: [0x0a, ed25519SignatureType])
        hasher.update(data: publicKey)
        let digest = Array(hasher.finalize())
        return UInt32(digest[0]) << 24 | UInt32(digest[1]) << 16 | UInt32(digest[2]) << 8 | UInt32(digest[3])
    }

    private static func malformed(_ message: String) -> TransparencyError {
        TransparencyError(.malformedVerifierKey, message, specRule: "c2sp.org/signed-note, Verifier keys")
    }
}

extension NoteVerifier: Hashable {
    /// Verifiers are equal when name, key ID and public key are equal.
    public static func == (lhs: NoteVerifier, rhs: NoteVerifier) -> Bool {
        lhs.name == rhs.name && lhs.keyID == rhs.keyID && lhs.publicKey.rawRepresentation == rhs.publicKey.rawRepresentation
    }

    /// Hashes name and key ID.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(keyID)
    }
}
