import Crypto

/// An Ed25519 note signing key (c2sp.org/signed-note, Ed25519 signatures).
///
/// Its text form is the signer key of golang.org/x/mod/sumdb/note:
/// `PRIVATE+KEY+<name>+hex(key ID)+base64(0x01 || 32-byte Ed25519 seed)`. The C2SP text defines
/// only verifier keys; this format is the one Go tooling and witnesses exchange. Treat it as a secret.
public struct NoteSigner: Sendable {
    /// The key name written in signature lines.
    public let name: String
    /// The key ID, equal to the matching verifier's.
    public var keyID: UInt32 { verifier.keyID }
    /// The matching verifier.
    public let verifier: NoteVerifier
    private let privateKey: Curve25519.Signing.PrivateKey

    /// Creates a signer from a name and an Ed25519 private key.
    /// - Throws: ``TransparencyError/Code/invalidKeyName`` for an invalid name.
    public init(name: String, privateKey: Curve25519.Signing.PrivateKey) throws(TransparencyError) {
        self.verifier = try NoteVerifier(name: name, publicKey: privateKey.publicKey)
        self.name = name
        self.privateKey = privateKey
    }

    /// Parses a signer key string, strictly.
    /// - Parameter signerKey: e.g. `PRIVATE+KEY+PeterNeumann+c74f20a3+AYEK…`.
    /// - Throws: ``TransparencyError/Code/malformedSignerKey``, ``TransparencyError/Code/unsupportedSignatureType``
    ///   or ``TransparencyError/Code/keyIDMismatch``. Messages never include the key.
    public init(signerKey: String) throws(TransparencyError) {
        // The base64 part may itself contain "+", so split only at the first separators.
        let parts = signerKey.split(separator: "+", maxSplits: 4, omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "PRIVATE", parts[1] == "KEY", NoteEncoding.isValidKeyName(parts[2]),
              let keyID = NoteEncoding.parseHex32(parts[3]),
              let material = NoteEncoding.decodeBase64(parts[4]), !material.isEmpty
        else {
            throw TransparencyError(
                .malformedSignerKey, "a signer key is PRIVATE+KEY+<name>+<8 lowercase hex digits>+<base64 of type and seed>",
                specRule: "golang.org/x/mod/sumdb/note signer keys")
        }
        guard material[0] == NoteVerifier.ed25519SignatureType else {
            throw TransparencyError(
                .unsupportedSignatureType, "only Ed25519 (signature type 0x01) signer keys are supported",
                specRule: "c2sp.org/signed-note, Signature types")
        }
        guard material.count == 33, let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: material[1...]) else {
            throw TransparencyError(
                .malformedSignerKey, "an Ed25519 signer key carries exactly a 32-byte seed",
                specRule: "golang.org/x/mod/sumdb/note signer keys")
        }
        try self.init(name: String(parts[2]), privateKey: key)
        guard self.keyID == keyID else {
            throw TransparencyError(
                .keyIDMismatch, "the signer key's key ID does not match its name and key",
                specRule: "c2sp.org/signed-note, Ed25519 signatures")
        }
    }

    /// Generates a fresh key with the system's secure random source.
    /// - Parameter name: the key name, e.g. the log origin.
    /// - Throws: ``TransparencyError/Code/invalidKeyName`` for an invalid name.
    public static func generate(name: String) throws(TransparencyError) -> NoteSigner {
        try NoteSigner(name: name, privateKey: Curve25519.Signing.PrivateKey())
    }

    /// The signer key string `PRIVATE+KEY+<name>+hex(key ID)+base64(0x01 || seed)`; a secret.
    public var signerKey: String {
        "PRIVATE+KEY+\(name)+\(NoteEncoding.hex(keyID))+"
            + NoteEncoding.base64([NoteVerifier.ed25519SignatureType] + privateKey.rawRepresentation)
    }

    /// Signs note text with Ed25519 (RFC 8032) and returns its signature line contents.
    /// - Parameter text: valid note text, ending in a newline.
    /// - Throws: ``TransparencyError/Code/malformedNote`` for invalid text; ``TransparencyError/Code/signingFailed``.
    public func sign(text: String) throws(TransparencyError) -> NoteSignature {
        try SignedNote.requireValidText(text)
        let signature: [UInt8]
        do {
            signature = Array(try privateKey.signature(for: Array(text.utf8)))
        } catch {
            throw TransparencyError(
                .signingFailed, kind: .internalFailure, "the Ed25519 provider failed to sign",
                specRule: "RFC 8032 §5.1.6", underlying: error)
        }
        return try NoteSignature(keyName: name, keyID: keyID, signature: signature)
    }
}
