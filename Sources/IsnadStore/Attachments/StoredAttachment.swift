import Foundation

/// An attachment the relay holds: complete, or an upload in progress.
public struct StoredAttachment: Hashable, Sendable {
    /// The SHA-256 of the whole blob.
    public var id: AttachmentID
    /// The blob's size in bytes, declared when the upload began.
    public var size: Int64
    /// How many bytes the relay holds, from the start; the next chunk begins here.
    public var received: Int64
    /// The device uploading it while incomplete; `nil` once complete (who uploaded a finished
    /// blob is not kept).
    public var uploader: DeviceID?
    /// When the relay deletes it.
    public var expiresAt: Date

    /// Creates a record.
    public init(id: AttachmentID, size: Int64, received: Int64, uploader: DeviceID?, expiresAt: Date) {
        self.id = id
        self.size = size
        self.received = received
        self.uploader = uploader
        self.expiresAt = expiresAt
    }

    /// Whether every byte is held (and its SHA-256 was checked before the last chunk was stored).
    public var isComplete: Bool { received == size }
}
