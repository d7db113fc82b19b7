import Crypto
import Foundation
import IsnadTransparency
import IsnadWire

/// The reporter's and verifier's view of one observatory's HTTP API (docs/observatory.md).
public struct ObservatoryClient: Sendable {
    /// The observatory's base URL, e.g. `https://observatory.example` (its API is under `/observatory/`, its log under `/log/`).
    public let baseURL: URL
    let transport: any HTTPTransport

    /// Creates a client.
    public init(baseURL: URL, transport: any HTTPTransport = URLSessionTransport()) {
        self.baseURL = baseURL
        self.transport = transport
    }

    /// The observatory's published keys and log verifier key.
    public func keys() async throws -> (keys: ObservatoryPublicKeys, logVerifier: NoteVerifier) {
        let body = try decode(ObservatoryAPI.Keys.self, try await get("observatory/keys"))
        guard let raw = Data(base64Encoded: body.sealingKey),
              let sealing = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: raw),
              let verifier = try? NoteVerifier(verifierKey: body.logVerifierKey)
        else { throw ReportingError(.badResponse, "The observatory's published keys are malformed.") }
        return (ObservatoryPublicKeys(sealingKey: sealing, logKey: verifier.publicKey), verifier)
    }

    /// Delivers a sealed report under a submission ID; retrying with the same ID and bytes is safe.
    /// - Throws: ``ReportingError/Code/refused`` with the problem's code when the observatory rejects it.
    public func submit(id: UUID, sealed: [UInt8]) async throws -> ObservatoryAPI.SubmissionStatus {
        let url = baseURL.appendingPathComponent("observatory/submissions/\(id.uuidString.lowercased())")
        return try decode(ObservatoryAPI.SubmissionStatus.self, try await send("PUT", url, body: Data(sealed), contentType: "application/octet-stream"))
    }

    /// A submission's status, including the receipt once logged.
    public func status(id: UUID) async throws -> ObservatoryAPI.SubmissionStatus {
        try decode(ObservatoryAPI.SubmissionStatus.self, try await get("observatory/submissions/\(id.uuidString.lowercased())"))
    }

    /// How much of an evidence file's encrypted blob the observatory holds.
    public func evidenceStatus(sha256 hex: String) async throws -> ObservatoryAPI.EvidenceStatus {
        try decode(ObservatoryAPI.EvidenceStatus.self, try await get("observatory/evidence/\(hex)/status"))
    }

    /// Sends the piece of an evidence blob that starts at `offset`.
    public func putEvidence(sha256 hex: String, offset: Int64, piece: Data) async throws -> ObservatoryAPI.EvidenceStatus {
        guard let url = URL(string: baseURL.appendingPathComponent("observatory/evidence/\(hex)").absoluteString + "?offset=\(offset)") else {
            throw ReportingError(.badResponse, "The observatory's URL cannot name an evidence file.")
        }
        return try decode(ObservatoryAPI.EvidenceStatus.self, try await send("PUT", url, body: piece, contentType: "application/octet-stream"))
    }

    /// The log's current signed checkpoint, as served at `/log/checkpoint`.
    public func checkpoint() async throws -> [UInt8] { Array(try await get("log/checkpoint")) }

    /// The RFC 9162 inclusion proof of `index` in the tree of `treeSize` entries.
    public func inclusionProof(index: UInt64, treeSize: UInt64) async throws -> [[UInt8]] {
        let body = try decode(ObservatoryAPI.InclusionProof.self, try await get("observatory/proofs/inclusion", query: "index=\(index)&tree_size=\(treeSize)"))
        return try hashes(body.hashes)
    }

    /// The RFC 9162 consistency proof from `first` to `second` entries.
    public func consistencyProof(from first: UInt64, to second: UInt64) async throws -> [[UInt8]] {
        let body = try decode(ObservatoryAPI.ConsistencyProof.self, try await get("observatory/proofs/consistency", query: "first=\(first)&second=\(second)"))
        return try hashes(body.hashes)
    }

    func hashes(_ encoded: [String]) throws -> [[UInt8]] {
        try encoded.map { text in
            guard let bytes = Data(base64Encoded: text), bytes.count == 32 else {
                throw ReportingError(.badResponse, "A proof hash from the observatory is not 32 bytes of base64.")
            }
            return Array(bytes)
        }
    }

    func get(_ path: String, query: String? = nil) async throws -> Data {
        var url = baseURL.appendingPathComponent(path)
        if let query, let withQuery = URL(string: url.absoluteString + "?" + query) { url = withQuery }
        return try await send("GET", url, body: nil, contentType: nil)
    }

    func send(_ method: String, _ url: URL, body: Data?, contentType: String?) async throws -> Data {
        let answer: (status: Int, body: Data)
        do {
            answer = try await transport.send(method: method, url: url, body: body, contentType: contentType)
        } catch {
            throw ReportingError(.unreachable, "The observatory could not be reached; the report stays in the outbox and is retried.")
        }
        switch answer.status {
        case 200..<300:
            return answer.body
        case 400..<500:
            let problem = (try? JSONSerialization.jsonObject(with: answer.body)) as? [String: Any]
            throw ReportingError(
                .refused, (problem?["detail"] as? String) ?? "The observatory refused the request (HTTP \(answer.status)).",
                problemCode: problem?["code"] as? String, status: answer.status)
        default:
            throw ReportingError(.unreachable, "The observatory answered HTTP \(answer.status); retry later.", status: answer.status)
        }
    }

    func decode<T: Decodable>(_ type: T.Type, _ data: Data) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw ReportingError(.badResponse, "The observatory's answer is not what its API describes.")
        }
    }
}
