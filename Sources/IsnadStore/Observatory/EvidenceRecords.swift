import Foundation

/// An evidence file's encrypted blob as an observatory holds it (docs/observatory.md, "Evidence files"):
/// uploaded in pieces from wherever the held copy ends, then checked and marked received.
/// The store only ever holds the encrypted blob, never the file's plaintext.
public struct StoredEvidence: Sendable, Equatable {
    /// SHA-256 of the plaintext file (32 bytes), as named in a report's evidence item.
    public var sha256: Data
    /// How many bytes of the encrypted blob are held.
    public var heldBytes: Int64
    /// When the whole blob was checked and kept; `nil` while the upload is under way.
    public var receivedAt: Date?

    public init(sha256: Data, heldBytes: Int64, receivedAt: Date?) {
        self.sha256 = sha256
        self.heldBytes = heldBytes
        self.receivedAt = receivedAt
    }
}

/// The evidence rules every engine shares.
public enum EvidenceRules {
    /// Refuses an append that does not continue the held bytes, or one to a received blob.
    public static func checkAppend(_ record: StoredEvidence?, offset: Int64) throws {
        if record?.receivedAt != nil { throw StoreError(.conflict, "This evidence file was already received.") }
        let held = record?.heldBytes ?? 0
        guard offset == held else { throw StoreError(.conflict, "The upload continues at byte \(held), not \(offset).") }
    }

    public static let unknown = StoreError(.notFound, "No evidence blob is held for this hash.")
    public static let receivedIsKept = StoreError(.conflict, "A received evidence file is kept; it is never dropped.")
}
