import Crypto
import Foundation
import Hummingbird
import IsnadStore
import IsnadWire
import NIOCore

/// Evidence files under `/observatory/evidence/` (docs/observatory.md, "Evidence files"):
///
/// | route | what |
/// |---|---|
/// | `PUT /observatory/evidence/{sha256}?offset=N` | the next piece of the encrypted blob (``EvidenceEnvelope``) |
/// | `GET /observatory/evidence/{sha256}/status` | how many bytes are held, and whether the file was received |
///
/// `{sha256}` names the plaintext file of an evidence item of an accepted report. When the last
/// byte arrives the blob is decrypted and the file's SHA-256 and size are checked; a mismatch drops
/// the upload. Only the encrypted blob is stored.
struct EvidenceRoutes<Context: RequestContext>: Sendable {
    let observatory: Observatory

    /// The largest evidence file taken (plaintext bytes).
    static var maximumFileSize: UInt64 { 100 << 20 }
    /// The largest piece per request.
    static var maximumPieceSize: Int { 8 << 20 }

    func register(on group: RouterGroup<Context>) {
        group.put("evidence/:sha256", use: put)
        group.get("evidence/:sha256/status", use: status)
    }

    @Sendable func put(_ request: Request, context: Context) async throws -> Response {
        let hash = try Self.hash(context)
        let item = try await evidenceItem(hash)
        let total = Int64(EvidenceEnvelope.blobCount(fileSize: Int(item.size)))
        guard let offsetText = request.uri.queryParameters.get("offset"), let offset = Int64(offsetText), offset >= 0 else {
            throw ObservatoryError(.malformedRequest, "The query parameter `offset` must be a non-negative integer.")
        }
        let store = observatory.store
        if let held = try await store.evidence(hash) {
            if held.receivedAt != nil { return try ObservatoryRoutes<Context>.json(Self.body(hash, held, total)) }
            if held.heldBytes == total {
                // Whole but not yet checked (the check was interrupted): check it now.
                try await check(hash, item: item)
                return try ObservatoryRoutes<Context>.json(Self.body(hash, try await store.evidence(hash), total))
            }
            guard held.heldBytes == offset else {
                throw ObservatoryError(.conflict, "The upload continues at byte \(held.heldBytes); send from there.")
            }
        } else if offset != 0 {
            throw ObservatoryError(.conflict, "Nothing is held for this file; start at offset 0.")
        }
        var request = request
        let piece: ByteBuffer
        do {
            piece = try await request.collectBody(upTo: min(Self.maximumPieceSize, Int(total - offset)))
        } catch is NIOTooManyBytesError {
            throw ObservatoryError(.requestTooLarge, "A piece is at most \(Self.maximumPieceSize) bytes and must not run past the blob's end (\(total) bytes).")
        }
        guard piece.readableBytes > 0 else { throw ObservatoryError(.malformedRequest, "A piece must not be empty.") }
        let held: Int64
        do {
            held = try await store.appendEvidence(hash, at: offset, bytes: Data(piece.readableBytesView))
        } catch let error as StoreError where error.code == .conflict {
            throw ObservatoryError(.conflict, "Another upload of this file moved on; ask its status and resume.")
        }
        if held == total { try await check(hash, item: item) }
        return try ObservatoryRoutes<Context>.json(Self.body(hash, try await store.evidence(hash), total))
    }

    @Sendable func status(_ request: Request, context: Context) async throws -> Response {
        let hash = try Self.hash(context)
        let item = try await evidenceItem(hash)
        return try ObservatoryRoutes<Context>.json(
            Self.body(hash, try await observatory.store.evidence(hash), Int64(EvidenceEnvelope.blobCount(fileSize: Int(item.size)))))
    }

    /// Decrypts the whole blob and checks it against the evidence item; drops it on any mismatch.
    func check(_ hash: Data, item: EvidenceItem) async throws {
        let store = observatory.store
        guard let blob = try await store.evidenceBlob(hash) else { throw ObservatoryError(.internal, "The held evidence blob vanished.") }
        let failure: ObservatoryError?
        do {
            let opened = try EvidenceEnvelope.open(blob, with: observatory.keys.sealingKey)
            if opened.namedSHA256 != Array(hash) || Data(SHA256.hash(data: opened.file)) != hash {
                failure = ObservatoryError(.evidenceMismatch, "The decrypted file's SHA-256 is not the one named; the upload was dropped.")
            } else if UInt64(opened.file.count) != item.size {
                failure = ObservatoryError(.evidenceMismatch, "The decrypted file's size is not the report's; the upload was dropped.")
            } else {
                failure = nil
            }
        } catch {
            failure = ObservatoryError(ObservatoryError.Code(error.code.rawValue),
                                       "The evidence blob does not decrypt (\(error.message)); the upload was dropped.")
        }
        if let failure {
            try await store.discardEvidence(hash)
            observatory.metrics.countRejection(failure.code.rawValue)
            throw failure
        }
        try await store.markEvidenceReceived(hash, now: observatory.now())
    }

    /// The evidence item of an accepted report naming this SHA-256 (``EvidenceIndex``).
    func evidenceItem(_ hash: Data) async throws -> EvidenceItem {
        guard let item = try await observatory.intake.evidence.item(hash) else {
            throw ObservatoryError(.unknownEvidence, "No accepted report names this evidence file; send the report first.")
        }
        guard item.size <= Self.maximumFileSize else {
            throw ObservatoryError(.requestTooLarge, "An evidence file is at most \(Self.maximumFileSize >> 20) MiB here.")
        }
        return item
    }

    static func hash(_ context: Context) throws -> Data {
        guard let text = context.parameters.get("sha256"), let bytes = Hex.decode(text), bytes.count == 32 else {
            throw ObservatoryError(.malformedRequest, "An evidence file is named by its SHA-256: 64 lower-case hex digits.")
        }
        return Data(bytes)
    }

    static func body(_ hash: Data, _ held: StoredEvidence?, _ total: Int64) -> ObservatoryAPI.EvidenceStatus {
        let state = held == nil ? "missing" : held?.receivedAt == nil ? "partial" : "received"
        return ObservatoryAPI.EvidenceStatus(sha256: hash.hexString, state: state, heldBytes: held?.heldBytes ?? 0, totalBytes: total)
    }
}
