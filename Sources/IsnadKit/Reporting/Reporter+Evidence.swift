import Crypto
import Foundation
import IsnadWire

/// One evidence file's upload to the observatory a report was delivered to (`isnad report status --json`, `evidence`).
public struct EvidenceUpload: Codable, Sendable, Equatable {
    /// SHA-256 of the file, 64 lower-case hex digits.
    public var sha256: String
    /// `missing`, `partial` or `received` (the observatory's answer); `unknown` when it could not be asked;
    /// `refused` when the observatory refused the upload; `changed` when the file changed since it was attached.
    public var state: String
    /// Encrypted bytes the observatory holds.
    public var heldBytes: Int64
    /// The whole encrypted blob's length.
    public var totalBytes: Int64
    /// For `refused` and `changed`: a sentence saying why.
    public var message: String?

    enum CodingKeys: String, CodingKey {
        case sha256, state, message
        case heldBytes = "held_bytes"
        case totalBytes = "total_bytes"
    }
}

extension Reporter {
    /// The size of each uploaded piece.
    static let evidencePieceSize = 1 << 20

    /// Uploads every attached file of every delivered report that the observatory has not received,
    /// each encrypted to the observatory's pinned key in 64 KiB chunks (``EvidenceEnvelope``) and sent in
    /// 1 MiB pieces from wherever the observatory's copy ends. The encrypted blob is kept in the home
    /// folder until received, so an interrupted upload resumes with the same bytes.
    /// - Parameter progress: called with (file's SHA-256 hex, bytes held, total bytes).
    /// - Returns: each file's state, by report ID.
    ///   A file that changed since it was attached (or cannot be read) is not sent: its state is `changed`.
    public func uploadEvidence(
        progress: (@Sendable (String, Int64, Int64) -> Void)? = nil
    ) async throws -> [String: [EvidenceUpload]] {
        var result: [String: [EvidenceUpload]] = [:]
        for (draft, item) in try deliveredDrafts() {
            let report = try Self.decode(draft)
            let (keys, _) = try await observatoryKeys(item.observatory, acceptNewKey: false)
            let client = ObservatoryClient(baseURL: item.observatory, transport: transport)
            var uploads: [EvidenceUpload] = []
            for (evidence, path) in zip(report.evidence, draft.evidenceFiles) {
                // One file's failure does not stop the others; the caller reports `changed` files.
                let hex = Hex.encode(evidence.sha256)
                let total = Int64(EvidenceEnvelope.blobCount(fileSize: Int(evidence.size)))
                do {
                    uploads.append(try await upload(evidence, path: path, keys: keys, client: client, progress: progress))
                } catch let error as ReportingError where error.code == .unreachable {
                    uploads.append(EvidenceUpload(sha256: hex, state: "unknown", heldBytes: 0, totalBytes: total))
                } catch let error as ReportingError {
                    uploads.append(EvidenceUpload(sha256: hex, state: "refused", heldBytes: 0, totalBytes: total, message: error.message))
                } catch let error as ClientError {
                    uploads.append(EvidenceUpload(sha256: hex, state: "changed", heldBytes: 0, totalBytes: total, message: error.message))
                }
            }
            result[draft.id] = uploads
        }
        return result
    }

    /// Each delivered report's evidence files as the observatory holds them, without uploading;
    /// `unknown` when the observatory cannot be reached.
    public func evidenceStates() async throws -> [String: [EvidenceUpload]] {
        var result: [String: [EvidenceUpload]] = [:]
        for (draft, item) in try deliveredDrafts() {
            let client = ObservatoryClient(baseURL: item.observatory, transport: transport)
            var uploads: [EvidenceUpload] = []
            for evidence in try Self.decode(draft).evidence {
                let hex = Hex.encode(evidence.sha256)
                let total = Int64(EvidenceEnvelope.blobCount(fileSize: Int(evidence.size)))
                if let status = try? await client.evidenceStatus(sha256: hex) {
                    uploads.append(EvidenceUpload(sha256: hex, state: status.state, heldBytes: status.heldBytes, totalBytes: status.totalBytes))
                } else {
                    uploads.append(EvidenceUpload(sha256: hex, state: "unknown", heldBytes: 0, totalBytes: total))
                }
            }
            result[draft.id] = uploads
        }
        return result
    }

    func deliveredDrafts() throws -> [(ReportDraftRecord, OutboxItem)] {
        try store.read { tx in
            try tx.all(ReportDraftRecord.self, table: .reportDrafts).compactMap { draft in
                let items = try draft.submissions.compactMap { try tx.one(ReportOutboxRecord.self, table: .reportOutbox, id: $0.uuidString) }
                guard let delivered = items.last(where: { $0.state == .delivered }) else { return nil }
                return (draft, try delivered.item())
            }
        }
    }

    func upload(
        _ evidence: EvidenceItem, path: String, keys: ObservatoryPublicKeys, client: ObservatoryClient,
        progress: (@Sendable (String, Int64, Int64) -> Void)?
    ) async throws -> EvidenceUpload {
        let hex = Hex.encode(evidence.sha256)
        var status = try await client.evidenceStatus(sha256: hex)
        let cache = store.blobs.appendingPathComponent("evidence-\(hex)")
        if status.state != "received" {
            let blob = try sealedBlob(evidence, path: path, keys: keys, cache: cache, total: status.totalBytes)
            progress?(hex, status.heldBytes, status.totalBytes)
            while status.heldBytes < status.totalBytes {
                let start = Int(status.heldBytes)
                let piece = blob[start..<min(start + Self.evidencePieceSize, blob.count)]
                status = try await client.putEvidence(sha256: hex, offset: status.heldBytes, piece: Data(piece))
                progress?(hex, status.heldBytes, status.totalBytes)
                if status.state == "received" { break }
            }
        }
        if status.state == "received" { try? FileManager.default.removeItem(at: cache) }
        return EvidenceUpload(sha256: hex, state: status.state, heldBytes: status.heldBytes, totalBytes: status.totalBytes)
    }

    /// The encrypted blob: the cached one when it exists and has the right length, else a fresh one
    /// sealed from the file, which must still have the attached hash.
    func sealedBlob(_ evidence: EvidenceItem, path: String, keys: ObservatoryPublicKeys, cache: URL, total: Int64) throws -> Data {
        if let cached = try? Data(contentsOf: cache), cached.count == total { return cached }
        let name = URL(fileURLWithPath: path).lastPathComponent
        guard let file = try? Data(contentsOf: URL(fileURLWithPath: path)) else {
            throw ClientError(.fileAccess, "The attached file \(name) can no longer be read; its evidence cannot be sent.")
        }
        guard Array(SHA256.hash(data: file)) == evidence.sha256, UInt64(file.count) == evidence.size else {
            throw ClientError(.invalidRequest, "The file \(name) changed since it was attached (its SHA-256 differs), so it was not sent.")
        }
        let blob = try EvidenceEnvelope.seal(file, to: keys)
        do {
            try FileManager.default.createDirectory(at: cache.deletingLastPathComponent(), withIntermediateDirectories: true)
            try blob.write(to: cache, options: .atomic)
        } catch {
            throw ClientError(.fileAccess, "The encrypted copy of \(name) cannot be kept in the home folder for resuming; check its free space.")
        }
        return blob
    }
}
