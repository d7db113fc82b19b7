import Foundation
import HTTPTypes
import Hummingbird
import IsnadStore
import IsnadTransparency
import IsnadWire
import NIOCore

/// The observatory's API under `/observatory/` (docs/openapi.yaml):
///
/// | route | what |
/// |---|---|
/// | `PUT /observatory/submissions/{id}` | a sealed report (`application/octet-stream`); stored first, then processed |
/// | `GET /observatory/submissions/{id}` | its status: pending, accepted, logged with receipt, or rejected with reason |
/// | `GET /observatory/submissions/{id}/receipt` | the receipt's bytes, once logged |
/// | `PUT /observatory/evidence/{sha256}?offset=N` | a piece of an encrypted evidence file (``EvidenceRoutes``) |
/// | `GET /observatory/evidence/{sha256}/status` | how much of it is held |
/// | `GET /observatory/keys` | the HPKE key and the log's verifier key |
/// | `GET /observatory/proofs/inclusion?index=&tree_size=` | RFC 9162 inclusion proof |
/// | `GET /observatory/proofs/consistency?first=&second=` | RFC 9162 consistency proof |
/// | `GET /observatory/metrics` | Prometheus counters |
struct ObservatoryRoutes<Context: RequestContext>: Sendable {
    let observatory: Observatory

    func register(on router: Router<Context>) {
        let group = router.group("observatory").add(middleware: ObservatoryProblemMiddleware<Context>(logger: observatory.logger))
        group.put("submissions/:id", use: submit)
        group.get("submissions/:id", use: status)
        group.get("submissions/:id/receipt", use: receipt)
        group.get("keys", use: keys)
        group.get("proofs/inclusion", use: inclusion)
        group.get("proofs/consistency", use: consistency)
        EvidenceRoutes<Context>(observatory: observatory).register(on: group)
        group.get("metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(bytes: observatory.metrics.emit())))
        }
    }

    @Sendable func submit(_ request: Request, context: Context) async throws -> Response {
        let id = try Self.submissionID(context)
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: observatory.maximumBodySize)
        } catch is NIOTooManyBytesError {
            observatory.metrics.countRejection(WireError.Code.tooLarge.rawValue)
            throw ObservatoryError(ObservatoryError.Code(WireError.Code.tooLarge.rawValue),
                                   "A sealed report is at most \(SealedReport.maximumEncodedBytes) bytes; this one was not stored.")
        }
        let status = try await observatory.intake.submit(id, sealed: Array(body.readableBytesView), now: observatory.now())
        if case .rejected(let reason, let message) = status.state {
            throw ObservatoryError(ObservatoryError.Code(reason), message)
        }
        return try Self.json(Self.body(status), status: .accepted)
    }

    @Sendable func status(_ request: Request, context: Context) async throws -> Response {
        try Self.json(Self.body(try await requireStatus(context)))
    }

    @Sendable func receipt(_ request: Request, context: Context) async throws -> Response {
        guard case .logged(_, let receipt) = try await requireStatus(context).state else {
            throw ObservatoryError(.notFound, "This submission has no receipt (yet); poll its status.")
        }
        return Response(status: .ok, headers: [.contentType: "application/octet-stream"], body: .init(byteBuffer: ByteBuffer(bytes: receipt)))
    }

    @Sendable func keys(_ request: Request, context: Context) async throws -> Response {
        let keys = observatory.keys
        return try Self.json(ObservatoryAPI.Keys(
            origin: keys.origin, sealingKey: keys.sealingKey.publicKey.rawRepresentation.base64EncodedString(),
            sealingKeyID: keys.publicKeys.sealingKeyID.bytes.hexString, logVerifierKey: keys.logVerifier.verifierKey))
    }

    @Sendable func inclusion(_ request: Request, context: Context) async throws -> Response {
        let index = try Self.query(request, "index")
        let treeSize = try Self.query(request, "tree_size")
        let path = try await LogReader(store: observatory.store).inclusionProof(index: index, treeSize: treeSize)
        return try Self.json(ObservatoryAPI.InclusionProof(leafIndex: index, treeSize: treeSize, hashes: path.map { Data($0).base64EncodedString() }))
    }

    @Sendable func consistency(_ request: Request, context: Context) async throws -> Response {
        let first = try Self.query(request, "first")
        let second = try Self.query(request, "second")
        let proof = try await LogReader(store: observatory.store).consistencyProof(from: first, to: second)
        return try Self.json(ObservatoryAPI.ConsistencyProof(first: first, second: second, hashes: proof.map { Data($0).base64EncodedString() }))
    }

    func requireStatus(_ context: Context) async throws -> SubmissionStatus {
        guard let status = try await observatory.store.status(try Self.submissionID(context)) else {
            throw ObservatoryError(.notFound, "No submission has this ID.")
        }
        return status
    }

    static func submissionID(_ context: Context) throws -> SubmissionID {
        guard let text = context.parameters.get("id"), let id = SubmissionID(text) else {
            throw ObservatoryError(.malformedRequest, "A submission ID is a UUID, e.g. 0f8fad5b-d9cb-469f-a165-70867728950e.")
        }
        return id
    }

    static func query(_ request: Request, _ name: String) throws -> UInt64 {
        guard let text = request.uri.queryParameters.get(name), let value = UInt64(text) else {
            throw ObservatoryError(.malformedRequest, "The query parameter `\(name)` must be a non-negative integer.")
        }
        return value
    }

    /// The API body of a stored status; the stored report's commitment is recomputed now.
    static func body(_ status: SubmissionStatus) -> ObservatoryAPI.SubmissionStatus {
        var body = ObservatoryAPI.SubmissionStatus(
            id: status.id.description, state: "pending", receivedAt: ISO8601DateFormatter().string(from: status.receivedAt))
        switch status.state {
        case .pending: body.state = "pending"
        case .accepted: body.state = "accepted"
        case .rejected(let reason, let message):
            body.state = "rejected"
            body.reason = reason
            body.message = message
        case .logged(let index, let receipt):
            body.state = "logged"
            body.logIndex = index
            body.receipt = receipt.base64EncodedString()
        }
        if let report = status.report, let opening = try? CommitmentOpening(salt: Array(report.salt), signedReportBytes: Array(report.signedReport)) {
            body.storedReportCommitment = opening.commitment.bytes.hexString
        }
        return body
    }

    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}
