import Crypto
import Foundation

/// Files: encrypted with a fresh key in 64 KiB chunks (``ChunkedCipher``), uploaded to the
/// conversation's relay in 1 MiB pieces from wherever the relay's copy ends (so an interrupted
/// upload resumes), then announced inside MLS with the key and the plaintext's hash. Receivers
/// download on sync, check both hashes and keep the blob (still encrypted) in the home folder;
/// ``saveFiles(_:to:)`` writes the plaintext where the member asks.
extension Messenger {
    /// The largest piece one PUT carries (the relay's chunk limit).
    static let uploadPiece = 1 << 20

    /// Sends the file at `path` to a contact or group; `progress` sees (bytes uploaded, total).
    @discardableResult
    public func sendFile(_ path: String, to name: String, progress: (Int64, Int64) -> Void = { _, _ in }) async throws -> String {
        try await receive()
        let conversation = try store.read { try self.conversation(named: name, $0) }
        guard conversation.isActive else { throw ClientError(.invalidRequest, "You are no longer a member of \(name); nothing was sent.") }
        let url = URL(fileURLWithPath: path)
        let plaintext: Data
        do { plaintext = try Data(contentsOf: url) } catch {
            throw ClientError(.fileAccess, "The file \(path) cannot be read.")
        }
        let digest = Data(SHA256.hash(data: plaintext))
        // Resume an interrupted upload of the same file to the same conversation with the same key.
        let upload = try store.write { transaction -> UploadRecord in
            if let earlier = try transaction.all(UploadRecord.self, table: .uploads)
                .first(where: { $0.conversationID == conversation.id && $0.reference.sha256 == digest }) {
                return earlier
            }
            let key = SymmetricKey(size: .bits256)
            let ciphertext = try ChunkedCipher.seal(plaintext, key: key)
            let reference = AttachmentReference(id: Self.hex(SHA256.hash(data: ciphertext)), key: key.withUnsafeBytes { Data($0) },
                                                name: url.lastPathComponent, size: Int64(plaintext.count), sha256: digest)
            let record = UploadRecord(id: reference.id, conversationID: conversation.id, reference: reference)
            try transaction.put(record, table: .uploads, id: record.id)
            return record
        }
        let ciphertext = try ChunkedCipher.seal(plaintext, key: SymmetricKey(data: upload.reference.key))
        try await uploadBlob(ciphertext, id: upload.id, relay: conversation.relay, progress: progress)
        try await announceRoutesIfChanged(conversation.id)
        let id = try await sendContent(kind: .attachment, text: upload.reference.name, attachment: upload.reference, conversationID: conversation.id)
        try store.write { try $0.delete(table: .uploads, id: upload.id) }
        return id.uuidString
    }

    func uploadBlob(_ ciphertext: Data, id: String, relay url: String, progress: (Int64, Int64) -> Void) async throws {
        let client = try await relay(url)
        let total = Int64(ciphertext.count)
        var status = try await client.beginAttachment(id: id, size: total)
        var refusals = 0
        while !status.isComplete, status.received < total {
            progress(status.received, total)
            let start = Int(status.received)
            let piece = ciphertext[start..<min(start + Self.uploadPiece, ciphertext.count)]
            do {
                status = try await client.putAttachmentChunk(id: id, offset: status.received, bytes: Data(piece))
                CrashPoint.duringUpload.reach()
            } catch let error as ClientError where error.code == .relayRefused && refusals < 3 {
                // Another offset than the relay holds (say, a retry after a lost answer): ask where it is.
                refusals += 1
                status = try await client.beginAttachment(id: id, size: total)
            }
        }
        progress(total, total)
    }

    /// Downloads, checks and keeps the blobs of files that arrived.
    func downloadPendingAttachments() async throws {
        for messageID in try store.read({ try $0.pendingDownloads() }) {
            guard let (message, relayURL) = try store.read({ transaction -> (MessageRecord, String)? in
                guard let message = try transaction.message(messageID),
                      let conversation = try transaction.one(ConversationRecord.self, table: .conversations, id: message.conversationID) else { return nil }
                return (message, conversation.relay)
            }), let reference = message.attachment else {
                try store.write { try $0.removePendingDownload(messageID) }
                continue
            }
            let ciphertext = try await relay(relayURL).downloadAttachmentChecked(reference)
            try store.write { transaction in
                try transaction.removePendingDownload(messageID)
                guard let ciphertext else {
                    try recordEvent("The file \(reference.name) could not be downloaded or failed its check (damaged or tampered with); it was discarded.",
                                    conversationID: Self.problemsConversation, transaction)
                    return
                }
                try writeBlob(ciphertext, id: reference.id)
                var updated = message
                updated.isDownloaded = true
                try transaction.update(updated)
            }
        }
    }

    func writeBlob(_ ciphertext: Data, id: String) throws {
        do {
            try FileManager.default.createDirectory(at: store.blobs, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try ciphertext.write(to: store.blobs.appendingPathComponent(id), options: .atomic)
        } catch {
            throw ClientError(.fileAccess, "A received file could not be written to the home folder.")
        }
    }

    /// Writes the received files of a conversation into `folder`; returns the files written.
    public func saveFiles(_ name: String, to folder: String) throws -> [String] {
        let ids = try history(name).map(\.id)
        let messages = try store.read { transaction -> [MessageRecord] in
            try ids.compactMap { try transaction.message($0) }.filter { $0.attachment != nil && $0.isDownloaded == true }
        }
        var written: [String] = []
        for message in messages {
            guard let reference = message.attachment else { continue }
            let ciphertext: Data
            do { ciphertext = try Data(contentsOf: store.blobs.appendingPathComponent(reference.id)) } catch {
                throw ClientError(.fileAccess, "A received file is missing from the home folder.")
            }
            let plaintext = try ChunkedCipher.open(ciphertext, key: SymmetricKey(data: reference.key))
            guard Data(SHA256.hash(data: plaintext)) == reference.sha256 else {
                throw ClientError(.badMessage, "A received file no longer matches its hash; it was not saved.")
            }
            let target = try freeName(for: reference.name, in: URL(fileURLWithPath: folder))
            do { try plaintext.write(to: target, options: .withoutOverwriting) } catch {
                throw ClientError(.fileAccess, "The file could not be written to \(folder).")
            }
            written.append(target.path)
        }
        return written
    }

    /// `folder/name`, or `folder/name (2)`… when taken; the sender's name is reduced to a plain file name.
    func freeName(for name: String, in folder: URL) throws -> URL {
        var base = URL(fileURLWithPath: name).lastPathComponent
        if base.isEmpty || base == "." || base == ".." || base.hasPrefix(".") { base = "file" + base }
        var candidate = folder.appendingPathComponent(base)
        var counter = 2
        while FileManager.default.fileExists(atPath: candidate.path) {
            candidate = folder.appendingPathComponent("\(base) (\(counter))")
            counter += 1
        }
        return candidate
    }
}

extension RelayClient {
    /// The blob of `reference` when it downloads and passes both checks (ciphertext hash = ID;
    /// chunks authentic; plaintext hash as announced); nil when it fails them. A relay that cannot
    /// be reached throws (the download is tried again next sync).
    func downloadAttachmentChecked(_ reference: AttachmentReference) async throws -> Data? {
        let expectedSize = Int64(ChunkedCipher.sealedCount(Int(reference.size)))
        let ciphertext: Data
        do {
            ciphertext = try await downloadAttachment(id: reference.id, size: expectedSize)
        } catch let error as ClientError where error.code != .relayUnavailable {
            return nil
        }
        guard Messenger.hex(SHA256.hash(data: ciphertext)) == reference.id,
              let plaintext = try? ChunkedCipher.open(ciphertext, key: SymmetricKey(data: reference.key)),
              Data(SHA256.hash(data: plaintext)) == reference.sha256 else { return nil }
        return ciphertext
    }
}
