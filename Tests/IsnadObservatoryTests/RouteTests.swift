import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IsnadObservatory
import IsnadStore
import IsnadTransparency
import NIOCore
import Testing

/// The observatory's HTTP layer in process: every failure is an RFC 9457 problem with a 4xx,
/// and the log's paths follow tlog-tiles strictly.
@Suite("Observatory routes")
struct RouteTests {
    typealias F = ObservatoryFixtures

    static func withApp(_ body: @Sendable (any TestClientProtocol, Observatory) async throws -> Void) async throws {
        let observatory = try F.observatory()
        let reporter = F.reporter()
        for number in 0..<3 {
            _ = try await observatory.intake.submit(.random(), sealed: try F.sealed(F.report(number), by: reporter, to: observatory.keys.publicKeys), now: F.now)
        }
        try await observatory.sequencer.appendBatch()
        let app = observatory.makeApplication(host: "127.0.0.1", port: 0, interval: .seconds(3600))
        try await app.test(.router) { client in try await body(client, observatory) }
    }

    /// Each request and the status and problem code it must get.
    static let failures: [(HTTPRequest.Method, String, Int, String)] = [
        (.get, "/observatory/submissions/not-a-uuid", 400, "malformed-request"),
        (.get, "/observatory/submissions/0f8fad5b-d9cb-469f-a165-70867728950e", 404, "not-found"),
        (.get, "/observatory/submissions/0f8fad5b-d9cb-469f-a165-70867728950e/receipt", 404, "not-found"),
        (.get, "/observatory/proofs/inclusion?index=0", 400, "malformed-request"),
        (.get, "/observatory/proofs/inclusion?index=5&tree_size=3", 400, "out-of-range"),
        (.get, "/observatory/proofs/inclusion?index=0&tree_size=4", 400, "out-of-range"),
        (.get, "/observatory/proofs/consistency?first=0&second=3", 400, "out-of-range"),
        (.get, "/observatory/proofs/consistency?first=-1&second=3", 400, "malformed-request"),
        (.get, "/log/tile/0/000", 404, "not-found"),
        (.get, "/log/tile/0/000.p/4", 404, "not-found"),
        (.get, "/log/tile/0/000.p/256", 404, "not-found"),
        (.get, "/log/tile/0/0", 404, "not-found"),
        (.get, "/log/tile/64/000", 404, "not-found"),
        (.get, "/log/tile/entries/x000/001", 404, "not-found"),
        (.get, "/log/tile/entries/001.p/3", 404, "not-found"),
    ]

    @Test("malformed or impossible requests get a 4xx problem with a stable code")
    func failures() async throws {
        try await Self.withApp { client, _ in
            for (method, uri, status, code) in Self.failures {
                try await client.execute(uri: uri, method: method) { response in
                    #expect(response.status.code == status, "\(uri)")
                    #expect(response.headers[.contentType] == "application/problem+json", "\(uri)")
                    let body = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                    #expect(body?["code"] as? String == code, "\(uri)")
                }
            }
        }
    }

    @Test("the log serves a checkpoint, partial tiles at any width up to the stored one, and bundles")
    func logPaths() async throws {
        try await Self.withApp { client, observatory in
            let checkpoint = try await client.execute(uri: "/log/checkpoint", method: .get) { Array(Data(buffer: $0.body)) }
            let opened = try Checkpoint.open(checkpoint, origin: observatory.keys.origin, verifiers: [observatory.keys.logVerifier]).checkpoint
            #expect(opened.treeSize == 3)
            for width in 1...3 {
                try await client.execute(uri: "/log/tile/0/000.p/\(width)", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.body.readableBytes == width * 32)
                    #expect(response.headers[.cacheControl] == nil, "partial tiles are not immutable")
                }
                try await client.execute(uri: "/log/tile/entries/000.p/\(width)", method: .get) { response in
                    let bundle = try EntryBundle(decoding: Array(Data(buffer: response.body)), width: width)
                    #expect(bundle.entries.count == width)
                }
            }
            try await client.execute(uri: "/observatory/proofs/consistency?first=1&second=3", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/observatory/metrics", method: .get) { response in
                #expect(String(buffer: response.body).contains("isnad_observatory_checkpoints_total 1"))
            }
        }
    }
}
