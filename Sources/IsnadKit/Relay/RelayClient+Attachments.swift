import Foundation
import IsnadWire

/// The relay's attachment routes (docs/relay.md, Attachments): content-addressed encrypted
/// blobs, uploaded in chunks from the offset the relay holds.
extension RelayClient {
    /// Begins (or finds) an upload; the status says how much the relay already holds.
    func beginAttachment(id: String, size: Int64) async throws -> AttachmentStatus {
        try await send("POST", "/v1/attachments", AttachmentUploadRequest(attachmentID: id, size: size), as: AttachmentStatus.self,
                       decoder: RelayJSON.makeDecoder())
    }

    /// Stores one chunk at `offset`, which must be what the relay holds.
    func putAttachmentChunk(id: String, offset: Int64, bytes: Data) async throws -> AttachmentStatus {
        let data = try await exchange("PUT", "/v1/attachments/\(id)?offset=\(offset)", body: bytes, contentType: "application/octet-stream")
        do {
            return try RelayJSON.makeDecoder().decode(AttachmentStatus.self, from: data)
        } catch {
            throw ClientError(.badMessage, "The relay at \(baseURL) answered with a body isnad cannot read.")
        }
    }

    /// The whole blob (at most `size` bytes are accepted).
    func downloadAttachment(id: String, size: Int64) async throws -> Data {
        try await exchange("GET", "/v1/attachments/\(id)", body: nil, contentType: "", limit: Int(size) + 1)
    }
}
