import Foundation

/// `POST /v1/attachments`: starts (or finds) an upload of an encrypted blob.
///
/// The client encrypts the file (in 64 KiB chunks, with a fresh key it sends inside MLS), hashes
/// the whole ciphertext with SHA-256, and names the upload by that hash. The relay never sees
/// plaintext, and checks the hash when the last byte arrives.
///
/// ```
/// POST /v1/attachments            {attachment_id, size}          → 201 (new) / 200 (known) AttachmentStatus
/// PUT  /v1/attachments/{id}?offset=N   body: raw bytes            → 200 AttachmentStatus (complete when received == size)
/// GET  /v1/attachments/{id}/status                                → 200 AttachmentStatus (resume from `received`)
/// GET  /v1/attachments/{id}       [Range: bytes=a-b]              → 200 / 206 raw bytes (complete attachments only)
/// ```
public struct AttachmentUploadRequest: Codable, Hashable, Sendable {
    /// The SHA-256 of the whole encrypted blob, as 64 lower-case hexadecimal digits.
    public var attachmentID: String
    /// The blob's size in bytes (at least 1, at most the relay's limit).
    public var size: Int64

    /// Creates a request.
    public init(attachmentID: String, size: Int64) {
        self.attachmentID = attachmentID
        self.size = size
    }

    enum CodingKeys: String, CodingKey { case attachmentID = "attachment_id", size }
}

/// What the relay holds of an attachment: the answer to every attachment route but the download.
public struct AttachmentStatus: Codable, Hashable, Sendable {
    /// The SHA-256 of the whole blob, in lower-case hexadecimal.
    public var attachmentID: String
    /// The declared size in bytes.
    public var size: Int64
    /// How many bytes the relay holds from the start: the `offset` of the next chunk.
    public var received: Int64
    /// Whether every byte is held and the hash checked; only then can it be downloaded.
    public var isComplete: Bool
    /// When the relay deletes it (retention after completion; the same as for messages).
    public var expiresAt: Date

    /// Creates a status.
    public init(attachmentID: String, size: Int64, received: Int64, isComplete: Bool, expiresAt: Date) {
        self.attachmentID = attachmentID
        self.size = size
        self.received = received
        self.isComplete = isComplete
        self.expiresAt = expiresAt
    }

    enum CodingKeys: String, CodingKey {
        case attachmentID = "attachment_id", size, received, isComplete = "complete", expiresAt = "expires_at"
    }
}
