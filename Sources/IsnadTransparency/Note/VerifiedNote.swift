/// A signed note whose signatures from known keys all verified (c2sp.org/signed-note, Signatures).
public struct VerifiedNote: Hashable, Sendable {
    /// The note text, now trustworthy, including its final newline.
    public let text: String
    /// Signatures from known keys, each verified; one per key.
    public let verifiedSignatures: [NoteSignature]
    /// Signatures from unknown keys, kept but not checked (for example witness cosignatures).
    public let unverifiedSignatures: [NoteSignature]
}
