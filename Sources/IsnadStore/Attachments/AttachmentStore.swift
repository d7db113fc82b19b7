import Foundation

/// Encrypted blobs, uploaded in chunks from the start, resumable, named by their SHA-256.
///
/// The store checks no hashes: the relay hashes what it holds plus the last chunk before it
/// appends that chunk, so a stored attachment whose `received == size` is known good.
/// Every method returns only after its change is committed.
public protocol AttachmentStore: Sendable {
    /// Starts an upload of `size` bytes under `id` by `uploader`.
    ///
    /// If a live attachment (complete or not) already has this ID, it is returned unchanged, and
    /// the caller compares its size and uploader; an expired one is replaced.
    /// - Returns: The stored record, and whether it was created by this call.
    /// - Throws: ``StoreError/Code/unknownDevice`` if the uploader does not exist;
    ///   ``StoreError/Code/invalidArgument`` for a size below 1.
    func beginAttachment(_ id: AttachmentID, size: Int64, uploader: DeviceID, expiresAt: Date, now: Date) async throws -> (attachment: StoredAttachment, isNew: Bool)

    /// The live attachment with this ID, or `nil` (unknown or expired).
    func attachment(_ id: AttachmentID, now: Date) async throws -> StoredAttachment?

    /// Appends `bytes` at `offset`, which must be exactly the bytes received so far. When the
    /// chunk completes the blob, the attachment becomes complete, forgets its uploader and expires
    /// at `completedExpiresAt`.
    /// - Throws: ``StoreError/Code/unknownAttachment`` if no live attachment has this ID;
    ///   ``StoreError/Code/conflict`` if it is complete, another device uploads it, or `offset` is
    ///   not the received count (nothing stored); ``StoreError/Code/invalidArgument`` for empty
    ///   bytes or bytes that go past the declared size.
    func appendAttachmentChunk(
        _ id: AttachmentID, at offset: Int64, _ bytes: Data, uploader: DeviceID, completedExpiresAt: Date, now: Date
    ) async throws -> StoredAttachment

    /// The held bytes of an attachment in `range` (clamped to what is held), complete or not.
    func attachmentBytes(_ id: AttachmentID, in range: Range<Int64>) async throws -> Data

    /// Deletes an attachment and its chunks; deleting an unknown one does nothing.
    func discardAttachment(_ id: AttachmentID) async throws
}
