/// The one error type of `IsnadTransparency`.
///
/// Every failure carries a stable ``code`` (safe to match on and to log), a ``kind`` separating
/// bad input from a peer, caller misuse and internal bugs, a ``message`` a person can act on,
/// and the ``specRule`` it enforces (for example `"RFC 9162 §2.1.3.2"`).
/// Descriptions never contain note text, key material or entry contents.
public struct TransparencyError: Error, Sendable, CustomStringConvertible {
    /// Which party is at fault.
    public enum Kind: String, Sendable, Hashable {
        /// Bytes or text from outside (a log, a peer, a file) are malformed or do not verify.
        case badInput
        /// The caller asked for something impossible (an index past the tree size, a bad key name).
        case misuse
        /// A bug in this library or in the cryptographic provider.
        case internalFailure
    }

    /// A stable machine-readable identifier for the failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The stable string form, e.g. `"tlog.inclusion.rootMismatch"`.
        public let rawValue: String

        /// Creates a code from its stable string form.
        public init(_ rawValue: String) { self.rawValue = rawValue }

        /// The stable string form.
        public var description: String { rawValue }

        /// A hash did not have the 32 bytes of SHA-256 (RFC 9162 §2.1.1).
        public static let badHashLength = Code("tlog.hash.badLength")
        /// A leaf index or tree size lies outside the log (RFC 9162 §2.1.3.1, §2.1.4.1).
        public static let indexOutOfRange = Code("tlog.tree.indexOutOfRange")
        /// An inclusion proof has the wrong number of hashes for its index and size (RFC 9162 §2.1.3.2).
        public static let inclusionProofLength = Code("tlog.inclusion.badLength")
        /// An inclusion proof does not lead to the expected root (RFC 9162 §2.1.3.2).
        public static let inclusionRootMismatch = Code("tlog.inclusion.rootMismatch")
        /// A consistency proof has the wrong shape for its sizes (RFC 9162 §2.1.4.2).
        public static let consistencyProofLength = Code("tlog.consistency.badLength")
        /// A consistency proof does not reproduce the first root (RFC 9162 §2.1.4.2).
        public static let consistencyFirstRootMismatch = Code("tlog.consistency.firstRootMismatch")
        /// A consistency proof does not reproduce the second root (RFC 9162 §2.1.4.2).
        public static let consistencySecondRootMismatch = Code("tlog.consistency.secondRootMismatch")
        /// Encoded proof bytes are truncated, overlong or inconsistent (RFC 9162 §4.11, §4.12).
        public static let malformedProof = Code("tlog.proof.malformed")
        /// A note is not valid signed-note text (c2sp.org/signed-note, Format).
        public static let malformedNote = Code("note.malformed")
        /// A key name is empty or contains a space or plus (c2sp.org/signed-note, Format).
        public static let invalidKeyName = Code("note.keyName.invalid")
        /// A verifier key string cannot be parsed (c2sp.org/signed-note, Verifier keys).
        public static let malformedVerifierKey = Code("note.verifierKey.malformed")
        /// A signer key string cannot be parsed (golang.org/x/mod/sumdb/note signer keys).
        public static let malformedSignerKey = Code("note.signerKey.malformed")
        /// A key uses a signature type other than Ed25519 0x01 (c2sp.org/signed-note, Signature types).
        public static let unsupportedSignatureType = Code("note.signatureType.unsupported")
        /// A key's stated key ID differs from the one computed from its name and public key.
        public static let keyIDMismatch = Code("note.keyID.mismatch")
        /// Two different known keys share a key name and key ID (c2sp.org/signed-note, Signatures).
        public static let ambiguousKey = Code("note.key.ambiguous")
        /// A signature from a known key failed to verify (c2sp.org/signed-note, Signatures).
        public static let invalidSignature = Code("note.signature.invalid")
        /// No signature from a known key is present (c2sp.org/signed-note, Signatures).
        public static let noVerifiedSignature = Code("note.signature.noneVerified")
        /// The signing provider failed.
        public static let signingFailed = Code("note.signing.failed")
        /// A checkpoint body does not follow c2sp.org/tlog-checkpoint, Note text.
        public static let malformedCheckpoint = Code("checkpoint.malformed")
        /// A checkpoint's origin is not the one expected (c2sp.org/tlog-checkpoint, Note text).
        public static let unexpectedOrigin = Code("checkpoint.origin.unexpected")
        /// A tile path, tile body or entry bundle does not follow c2sp.org/tlog-tiles.
        public static let malformedTile = Code("tile.malformed")
        /// A tile needed for a proof was not supplied by the tile reader.
        public static let missingTile = Code("tile.missing")
        /// A tlog-proof text does not follow c2sp.org/tlog-proof, Format.
        public static let malformedTlogProof = Code("tlogProof.malformed")
    }

    /// The stable identifier of this failure.
    public let code: Code
    /// Who is at fault.
    public let kind: Kind
    /// What went wrong and what to do about it; contains no secrets and no user data.
    public let message: String
    /// The specification rule being enforced, e.g. `"RFC 9162 §2.1.4.2"`.
    public let specRule: String
    /// The error reported by a lower layer (swift-crypto, a tile reader), if any.
    public let underlying: (any Error & Sendable)?

    /// Creates an error.
    /// - Parameters:
    ///   - code: the stable identifier.
    ///   - kind: who is at fault.
    ///   - message: what went wrong, actionable, without secrets or user data.
    ///   - specRule: the specification section enforced.
    ///   - underlying: the cause from a lower layer, if any.
    public init(
        _ code: Code, kind: Kind = .badInput, _ message: String, specRule: String,
        underlying: (any Error & Sendable)? = nil
    ) {
        self.code = code
        self.kind = kind
        self.message = message
        self.specRule = specRule
        self.underlying = underlying
    }

    /// `code: message (rule)`; never includes secrets, note text or entries.
    public var description: String { "\(code): \(message) (\(specRule))" }
}
