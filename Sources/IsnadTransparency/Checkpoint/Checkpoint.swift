/// A tlog-checkpoint: the note text of a log's signed tree head (c2sp.org/tlog-checkpoint, Note text).
///
/// ```
/// <origin>\n
/// <tree size, decimal, no leading zeroes>\n
/// <base64 root hash>\n
/// [<extension line>\n ...]
/// ```
public struct Checkpoint: Hashable, Sendable {
    /// The log identity, e.g. `example.com/log42`.
    public let origin: String
    /// The number of entries in the tree.
    public let treeSize: UInt64
    /// The RFC 9162 §2.1.1 root hash at ``treeSize``, 32 bytes.
    public let rootHash: [UInt8]
    /// Opaque extension lines, each non-empty, without newlines.
    public let extensions: [String]

    /// Creates a checkpoint.
    /// - Throws: ``TransparencyError/Code/malformedCheckpoint`` for an empty origin or extension line,
    ///   a newline or control character inside one, or a root hash that is not 32 bytes.
    public init(origin: String, treeSize: UInt64, rootHash: [UInt8], extensions: [String] = []) throws(TransparencyError) {
        guard Self.isValidLine(origin) else {
            throw Self.malformed("the origin must be a non-empty line without control characters", kind: .misuse)
        }
        guard rootHash.count == MerkleTreeHash.size else {
            throw Self.malformed("the root hash must be 32 bytes", kind: .misuse)
        }
        guard extensions.allSatisfy(Self.isValidLine) else {
            throw Self.malformed("extension lines must be non-empty and without control characters", kind: .misuse)
        }
        self.origin = origin
        self.treeSize = treeSize
        self.rootHash = rootHash
        self.extensions = extensions
    }

    /// Parses checkpoint note text, strictly (c2sp.org/tlog-checkpoint, Note text).
    /// - Parameter text: the note text, including its final newline.
    /// - Throws: ``TransparencyError/Code/malformedCheckpoint`` for anything else.
    public init(parsing text: String) throws(TransparencyError) {
        let bytes = Array(text.utf8)
        guard bytes.last == 0x0a, NoteEncoding.validText(bytes) != nil else {
            throw Self.malformed("checkpoint text is newline-terminated lines without control characters")
        }
        let lines = text.utf8.dropLast().split(separator: 0x0a, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        guard lines.count >= 3 else { throw Self.malformed("a checkpoint has at least three lines") }
        guard !lines[0].isEmpty else { throw Self.malformed("the origin line is empty") }
        guard let size = TilePath.decimal(lines[1][...]) else {
            throw Self.malformed("the tree size must be a decimal without leading zeroes that fits in 64 bits")
        }
        guard let root = NoteEncoding.decodeBase64(lines[2][...]), root.count == MerkleTreeHash.size else {
            throw Self.malformed("the root hash must be canonical base64 of 32 bytes")
        }
        let extensions = Array(lines[3...])
        guard extensions.allSatisfy({ !$0.isEmpty }) else { throw Self.malformed("extension lines must be non-empty") }
        try self.init(origin: lines[0], treeSize: size, rootHash: root, extensions: extensions)
    }

    /// The note text: origin, size, base64 root and extension lines, each ending in a newline.
    public var text: String {
        ([origin, String(treeSize), NoteEncoding.base64(rootHash)] + extensions).map { $0 + "\n" }.joined()
    }

    /// Signs the checkpoint as a note with the log's key (c2sp.org/tlog-checkpoint, Signatures).
    /// - Parameter signers: the log key first; its name SHOULD equal ``origin``.
    /// - Returns: the signed note; its ``SignedNote/encoded`` form is what `<prefix>/checkpoint` serves.
    /// - Throws: ``TransparencyError/Code/signingFailed``.
    public func sign(with signers: [NoteSigner]) throws(TransparencyError) -> SignedNote {
        try SignedNote(text: text, signers: signers)
    }

    /// Parses and verifies a signed checkpoint (c2sp.org/tlog-checkpoint; c2sp.org/signed-note, Signatures).
    /// - Parameters:
    ///   - signedNote: the bytes served at `<prefix>/checkpoint`.
    ///   - origin: the origin the caller expects.
    ///   - verifiers: the log's keys (and any trusted witnesses).
    /// - Returns: the checkpoint and the verified note.
    /// - Throws: ``TransparencyError/Code/malformedNote``, the note verification errors of
    ///   ``SignedNote/verify(with:)``, ``TransparencyError/Code/malformedCheckpoint`` or
    ///   ``TransparencyError/Code/unexpectedOrigin``.
    public static func open(
        _ signedNote: [UInt8], origin: String, verifiers: [NoteVerifier]
    ) throws(TransparencyError) -> (checkpoint: Checkpoint, note: VerifiedNote) {
        let note = try SignedNote(parsing: signedNote)
        let verified = try note.verify(with: verifiers)
        let checkpoint = try Checkpoint(parsing: verified.text)
        guard checkpoint.origin == origin else {
            throw TransparencyError(
                .unexpectedOrigin, "the checkpoint is for a different log than the one expected",
                specRule: "c2sp.org/tlog-checkpoint, Note text")
        }
        return (checkpoint, verified)
    }

    private static func isValidLine(_ line: String) -> Bool {
        !line.isEmpty && line.utf8.allSatisfy { $0 >= 0x20 }
    }

    private static func malformed(_ message: String, kind: TransparencyError.Kind = .badInput) -> TransparencyError {
        TransparencyError(.malformedCheckpoint, kind: kind, message, specRule: "c2sp.org/tlog-checkpoint, Note text")
    }
}
