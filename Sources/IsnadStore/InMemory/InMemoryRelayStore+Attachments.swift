import Foundation

extension InMemoryRelayStore {
    public func beginAttachment(_ id: AttachmentID, size: Int64, uploader: DeviceID, expiresAt: Date, now: Date) async throws -> (attachment: StoredAttachment, isNew: Bool) {
        guard size >= 1 else { throw StoreError(.invalidArgument, "An attachment holds at least one byte.") }
        return try state.withLock { state in
            if let existing = state.attachments[id], existing.record.expiresAt > now {
                return (existing.record, false)
            }
            guard state.devices[uploader] != nil else { throw StoreError(.unknownDevice, "The device does not exist.") }
            let record = StoredAttachment(id: id, size: size, received: 0, uploader: uploader, expiresAt: expiresAt)
            state.attachments[id] = Attachment(record: record)
            return (record, true)
        }
    }

    public func attachment(_ id: AttachmentID, now: Date) async throws -> StoredAttachment? {
        state.withLock { state in
            state.attachments[id].map(\.record).flatMap { $0.expiresAt > now ? $0 : nil }
        }
    }

    public func appendAttachmentChunk(
        _ id: AttachmentID, at offset: Int64, _ bytes: Data, uploader: DeviceID, completedExpiresAt: Date, now: Date
    ) async throws -> StoredAttachment {
        try state.withLock { state in
            guard var attachment = state.attachments[id], attachment.record.expiresAt > now else {
                throw StoreError(.unknownAttachment, "No attachment has this ID.")
            }
            var record = attachment.record
            try AttachmentRules.checkAppend(to: record, at: offset, count: bytes.count, uploader: uploader)
            attachment.chunks.append((offset, Data(bytes)))
            record.received += Int64(bytes.count)
            if record.isComplete {
                record.uploader = nil
                record.expiresAt = completedExpiresAt
            }
            attachment.record = record
            state.attachments[id] = attachment
            return record
        }
    }

    public func attachmentBytes(_ id: AttachmentID, in range: Range<Int64>) async throws -> Data {
        state.withLock { state in
            AttachmentRules.slice((state.attachments[id]?.chunks ?? []).map { ($0.offset, $0.bytes) }, to: range)
        }
    }

    public func discardAttachment(_ id: AttachmentID) async throws {
        state.withLock { _ = $0.attachments.removeValue(forKey: id) }
    }
}
