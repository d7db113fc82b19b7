/// A C2SP signed note: text ending in a newline, a blank line, and one or more signature lines
/// (c2sp.org/signed-note, Format).
///
/// ```
/// <text>\n            the text, including its final newline, may contain blank lines
/// \n                  the last blank line separates text from signatures
/// — <name> <base64>\n one line per signature
/// ```
/// Parsing checks form only; the text MUST be ignored until ``verify(with:)`` succeeds.
public struct SignedNote: Hashable, Sendable {
    /// Signatures beyond this many are rejected as malformed (the spec requires accepting at least 16).
    public static let maxSignatures = 100

    /// The note text, including its final newline.
    public let text: String
    /// The signatures, in order.
    public private(set) var signatures: [NoteSignature]

    /// Creates a note from text and signatures.
    /// - Throws: ``TransparencyError/Code/malformedNote`` for invalid text or more than ``maxSignatures`` signatures.
    public init(text: String, signatures: [NoteSignature]) throws(TransparencyError) {
        try Self.requireValidText(text)
        guard signatures.count <= Self.maxSignatures else {
            throw Self.malformed("a note carries at most \(Self.maxSignatures) signatures", kind: .misuse)
        }
        self.text = text
        self.signatures = signatures
    }

    /// Signs `text` with each signer, in order.
    /// - Throws: ``TransparencyError/Code/malformedNote`` for invalid text; ``TransparencyError/Code/signingFailed``.
    public init(text: String, signers: [NoteSigner]) throws(TransparencyError) {
        try self.init(text: text, signatures: [])
        for signer in signers { try addSignature(by: signer) }
    }

    /// Adds `signer`'s signature, replacing an earlier one with the same key name and key ID.
    /// - Throws: ``TransparencyError/Code/signingFailed``; ``TransparencyError/Code/malformedNote`` past ``maxSignatures``.
    public mutating func addSignature(by signer: NoteSigner) throws(TransparencyError) {
        let signature = try signer.sign(text: text)
        signatures.removeAll { $0.keyName == signature.keyName && $0.keyID == signature.keyID }
        guard signatures.count < Self.maxSignatures else {
            throw Self.malformed("a note carries at most \(Self.maxSignatures) signatures", kind: .misuse)
        }
        signatures.append(signature)
    }

    /// Parses a signed note from bytes, strictly (c2sp.org/signed-note, Format).
    /// - Parameter bytes: the whole note, as received.
    /// - Throws: ``TransparencyError/Code/malformedNote`` for anything that is not a well-formed signed note.
    public init(parsing bytes: [UInt8]) throws(TransparencyError) {
        guard NoteEncoding.validText(bytes) != nil else {
            throw Self.malformed("a note must be UTF-8 without control characters other than newline")
        }
        guard bytes.last == 0x0a else { throw Self.malformed("a signed note ends with a newline") }
        // The text ends at the last "\n\n": its first newline belongs to the text, the second is the blank line.
        var split: Int?
        var i = bytes.count - 2
        while i >= 0 {
            if bytes[i] == 0x0a, bytes[i + 1] == 0x0a {
                split = i
                break
            }
            i -= 1
        }
        guard let split else { throw Self.malformed("a signed note needs a blank line before its signatures") }
        let textBytes = Array(bytes[0...split])
        var signatures: [NoteSignature] = []
        var lineStart = split + 2
        guard lineStart < bytes.count else { throw Self.malformed("a signed note needs at least one signature line") }
        while lineStart < bytes.count {
            guard let end = bytes[lineStart...].firstIndex(of: 0x0a) else {
                throw Self.malformed("every signature line ends with a newline")
            }
            guard let signature = NoteSignature.parse(line: bytes[lineStart..<end]) else {
                throw Self.malformed("signature line \(signatures.count + 1) is not '— <name> <base64>'")
            }
            signatures.append(signature)
            guard signatures.count <= Self.maxSignatures else {
                throw Self.malformed("the note has more than \(Self.maxSignatures) signatures")
            }
            lineStart = end + 1
        }
        try self.init(text: String(decoding: textBytes, as: UTF8.self), signatures: signatures)
    }

    /// Parses a signed note from a string (see ``init(parsing:)-(_:[UInt8])``).
    public init(parsing string: String) throws(TransparencyError) {
        try self.init(parsing: Array(string.utf8))
    }

    /// The note in its wire form: text, blank line, signature lines.
    public var encoded: String { text + "\n" + signatures.map(\.line).joined() }

    /// Verifies the note against known keys (c2sp.org/signed-note, Signatures).
    ///
    /// Signatures from unknown keys (no verifier with both the same name and key ID) are ignored.
    /// A signature from a known key that fails rejects the whole note.
    /// - Parameter verifiers: the trusted keys.
    /// - Returns: the note split into verified and unverified signatures.
    /// - Throws: ``TransparencyError/Code/invalidSignature`` if a known key's signature fails,
    ///   ``TransparencyError/Code/ambiguousKey`` if two different known keys share name and key ID,
    ///   ``TransparencyError/Code/noVerifiedSignature`` if no known key signed.
    public func verify(with verifiers: [NoteVerifier]) throws(TransparencyError) -> VerifiedNote {
        let message = Array(text.utf8)
        var verified: [NoteSignature] = []
        var unverified: [NoteSignature] = []
        for signature in signatures {
            let matches = Set(verifiers.filter { $0.name == signature.keyName && $0.keyID == signature.keyID })
            guard let verifier = matches.first else {
                if !unverified.contains(signature) { unverified.append(signature) }
                continue
            }
            guard matches.count == 1 else {
                throw TransparencyError(
                    .ambiguousKey, kind: .misuse,
                    "two different trusted keys share a key name and key ID; remove one from the verifier list",
                    specRule: "c2sp.org/signed-note, Signatures")
            }
            guard verifier.isValidSignature(signature.signature, for: message) else {
                throw TransparencyError(
                    .invalidSignature, "a signature by a trusted key does not verify; the note was altered or forged",
                    specRule: "c2sp.org/signed-note, Signatures")
            }
            if !verified.contains(where: { $0.keyName == signature.keyName && $0.keyID == signature.keyID }) {
                verified.append(signature)
            }
        }
        guard !verified.isEmpty else {
            throw TransparencyError(
                .noVerifiedSignature, "the note has no signature from a trusted key",
                specRule: "c2sp.org/signed-note, Signatures")
        }
        return VerifiedNote(text: text, verifiedSignatures: verified, unverifiedSignatures: unverified)
    }

    /// Checks note text: non-empty, ends in a newline, no control characters but newline.
    static func requireValidText(_ text: String) throws(TransparencyError) {
        let bytes = Array(text.utf8)
        guard bytes.last == 0x0a, NoteEncoding.validText(bytes) != nil else {
            throw malformed(
                "note text must end with a newline and contain no control characters other than newline",
                kind: .misuse)
        }
    }

    private static func malformed(_ message: String, kind: TransparencyError.Kind = .badInput) -> TransparencyError {
        TransparencyError(.malformedNote, kind: kind, message, specRule: "c2sp.org/signed-note, Format")
    }
}
