import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import IsnadStore
import IsnadWire
import NIOCore

/// Attachments: encrypted blobs named by their SHA-256, uploaded in chunks from the start
/// (resumable), downloaded whole or by `Range`. All need a bearer token.
///
/// ```
/// POST /v1/attachments                  {attachment_id, size} → 201 new / 200 known: AttachmentStatus
/// PUT  /v1/attachments/{id}?offset=N    raw bytes             → 200 AttachmentStatus
/// GET  /v1/attachments/{id}/status                            → 200 AttachmentStatus
/// GET  /v1/attachments/{id}             [Range: bytes=a-b]    → 200 / 206 raw bytes
/// ```
/// Before storing the chunk that completes a blob, the relay hashes everything it holds plus
/// that chunk; a mismatch discards the upload (422), so a complete attachment is always the blob
/// its ID names. Only the uploading device may add chunks, and it is forgotten on completion.
/// Any authenticated device that knows the ID (sent inside MLS) may download.
struct AttachmentRoutes {
    let dependencies: RelayDependencies

    /// The largest piece read from the store at once while hashing or downloading.
    static let readSize: Int64 = 1024 * 1024

    func register(on group: RouterGroup<RelayRequestContext>) {
        group.post("attachments", use: begin)
        group.put("attachments/:attachment_id", use: upload)
        group.get("attachments/:attachment_id/status", use: status)
        group.get("attachments/:attachment_id", use: download)
    }

    /// 201 with a new upload; 200 with the existing one (to resume, or already complete).
    @Sendable func begin(_ request: Request, context: RelayRequestContext) async throws -> Response {
        let device = try context.requireDevice()
        let body = try await JSONBody.decode(AttachmentUploadRequest.self, from: request, limit: 1024)
        let id = try Self.attachmentID(body.attachmentID, field: "`attachment_id`")
        let maxSize = dependencies.configuration.maxAttachmentSize
        guard body.size >= 1 else {
            throw RelayError(.malformedRequest, "`size` must be at least 1 byte.")
        }
        guard body.size <= maxSize else {
            throw RelayError(.requestTooLarge, "`size` is larger than this relay's limit of \(maxSize) bytes.")
        }
        let now = dependencies.now()
        let (attachment, isNew) = try await dependencies.store.beginAttachment(
            id, size: body.size, uploader: device, expiresAt: now.addingTimeInterval(dependencies.configuration.messageRetention), now: now)
        guard attachment.size == body.size else {
            throw RelayError(.attachmentConflict, "An attachment with this ID and another size exists; the ID must be the SHA-256 of these bytes.")
        }
        guard attachment.isComplete || attachment.uploader == device else {
            throw RelayError(.attachmentConflict, "Another device is uploading this attachment.")
        }
        return try JSONBody.response(Self.status(attachment), status: isNew ? .created : .ok)
    }

    /// `PUT /v1/attachments/{id}?offset=N`: appends a chunk where the held bytes end.
    @Sendable func upload(_ request: Request, context: RelayRequestContext) async throws -> Response {
        let device = try context.requireDevice()
        let id = try Self.attachmentID(context)
        let offset = try MessageRoutes.integer(request.uri.queryParameters["offset"].map(String.init), name: "offset", default: -1, range: 0...Int64.max)
        guard offset >= 0 else {
            throw RelayError(.malformedRequest, "The query parameter `offset` is required: where this chunk starts in the blob.")
        }
        let now = dependencies.now()
        guard let attachment = try await dependencies.store.attachment(id, now: now) else {
            throw RelayError(.unknownAttachment, "No attachment has this ID; begin it with POST /v1/attachments.")
        }
        guard !attachment.isComplete else {
            throw RelayError(.attachmentConflict, "The attachment is already complete.")
        }
        guard attachment.uploader == device else {
            throw RelayError(.attachmentConflict, "Another device is uploading this attachment.")
        }
        guard offset == attachment.received else {
            throw RelayError(.offsetMismatch, "The relay holds \(attachment.received) bytes: send the chunk that starts there.", received: attachment.received)
        }
        let limit = dependencies.configuration.maxAttachmentChunkSize
        let buffer = try await JSONBody.collect(request, limit: limit, tooLarge: "A chunk may hold at most \(limit) bytes.")
        guard buffer.readableBytes > 0 else {
            throw RelayError(.malformedRequest, "The chunk is empty.")
        }
        guard Int64(buffer.readableBytes) <= attachment.size - offset else {
            throw RelayError(.requestTooLarge, "The chunk ends past the declared size of \(attachment.size) bytes.")
        }
        let chunk = Data(buffer.readableBytesView)
        if offset + Int64(chunk.count) == attachment.size {
            try await checkHash(of: id, heldBytes: offset, lastChunk: chunk)
        }
        do {
            let stored = try await dependencies.store.appendAttachmentChunk(
                id, at: offset, chunk, uploader: device,
                completedExpiresAt: now.addingTimeInterval(dependencies.configuration.messageRetention), now: now)
            return try JSONBody.response(Self.status(stored))
        } catch let error as StoreError where error.code == .conflict {
            // A concurrent chunk won the race: say where the upload stands now.
            let received = try await dependencies.store.attachment(id, now: now)?.received
            throw RelayError(.offsetMismatch, "Another chunk was stored first; resume from `received`.", received: received, underlying: error)
        }
    }

    @Sendable func status(_ request: Request, context: RelayRequestContext) async throws -> Response {
        _ = try context.requireDevice()
        return try JSONBody.response(Self.status(try await existing(try Self.attachmentID(context))))
    }

    /// The blob, or the one byte range asked for (RFC 9110 §14); streamed from the store.
    @Sendable func download(_ request: Request, context: RelayRequestContext) async throws -> Response {
        _ = try context.requireDevice()
        let attachment = try await existing(try Self.attachmentID(context))
        guard attachment.isComplete else {
            throw RelayError(.attachmentIncomplete, "The attachment is not completely uploaded yet (\(attachment.received) of \(attachment.size) bytes).")
        }
        var headers: HTTPFields = [
            .contentType: "application/octet-stream", .acceptRanges: "bytes", .eTag: "\"\(attachment.id)\"",
            .cacheControl: "private, max-age=31536000, immutable",
        ]
        let range: Range<Int64>
        let status: HTTPResponse.Status
        switch try ByteRange.parse(request.headers[.range], size: attachment.size) {
        case .whole:
            range = 0..<attachment.size
            status = .ok
        case .part(let part):
            range = part
            status = .partialContent
            headers[.contentRange] = "bytes \(part.lowerBound)-\(part.upperBound - 1)/\(attachment.size)"
        }
        let store = dependencies.store
        let id = attachment.id
        let body = ResponseBody(contentLength: Int(range.count)) { writer in
            var start = range.lowerBound
            while start < range.upperBound {
                let end = min(range.upperBound, start + Self.readSize)
                let bytes = try await store.attachmentBytes(id, in: start..<end)
                // Swept or discarded mid-download: end the body short rather than invent bytes.
                guard !bytes.isEmpty else { break }
                try await writer.write(ByteBuffer(bytes: bytes))
                start += Int64(bytes.count)
            }
            try await writer.finish(nil)
        }
        return Response(status: status, headers: headers, body: body)
    }

    /// Hashes the held bytes and the last chunk; on a mismatch discards the upload and throws 422.
    func checkHash(of id: AttachmentID, heldBytes: Int64, lastChunk: Data) async throws {
        var hasher = SHA256()
        var start: Int64 = 0
        while start < heldBytes {
            let bytes = try await dependencies.store.attachmentBytes(id, in: start..<min(heldBytes, start + Self.readSize))
            guard !bytes.isEmpty else { break }
            hasher.update(data: bytes)
            start += Int64(bytes.count)
        }
        hasher.update(data: lastChunk)
        guard start == heldBytes, AttachmentID(digest: hasher.finalize()) == id else {
            try await dependencies.store.discardAttachment(id)
            throw RelayError(.attachmentHashMismatch, "The uploaded bytes do not hash to the attachment ID; the upload was discarded: begin again.")
        }
    }

    func existing(_ id: AttachmentID) async throws -> StoredAttachment {
        guard let attachment = try await dependencies.store.attachment(id, now: dependencies.now()) else {
            throw RelayError(.unknownAttachment, "No attachment has this ID (or it expired).")
        }
        return attachment
    }

    static func status(_ attachment: StoredAttachment) -> AttachmentStatus {
        AttachmentStatus(attachmentID: attachment.id.description, size: attachment.size, received: attachment.received,
                         isComplete: attachment.isComplete, expiresAt: attachment.expiresAt)
    }

    static func attachmentID(_ context: RelayRequestContext) throws -> AttachmentID {
        try attachmentID(context.parameters.get("attachment_id") ?? "", field: "The attachment ID in the path")
    }

    /// - Parameter field: How the problem names the value, e.g. "`attachment_id`".
    static func attachmentID(_ text: String, field: String) throws -> AttachmentID {
        guard let id = AttachmentID(text) else {
            throw RelayError(.malformedRequest, "\(field) must be a SHA-256 in 64 lower-case hexadecimal digits.")
        }
        return id
    }
}
