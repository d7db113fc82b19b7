import Crypto
import Foundation
import HTTPTypes
import IsnadStore
import IsnadStorePostgres
import Testing

@Suite("/v1/attachments")
struct AttachmentRouteTests {
    /// An encrypted-looking blob and its ID.
    static func blob(_ size: Int) -> (bytes: Data, id: String) {
        let bytes = Data((0..<size).map { _ in UInt8.random(in: 0...255) })
        return (bytes, AttachmentID(of: bytes).description)
    }

    /// The download operation as docs/openapi.yaml names it.
    static let downloadPath = "/v1/attachments/{attachment_id}"

    static func put(_ relay: RelayClient, _ id: String, offset: Int, _ bytes: Data, token: String) async throws -> Reply {
        try await relay.request(.put, "/v1/attachments/\(id)?offset=\(offset)", body: bytes, token: token, contentType: "application/octet-stream")
    }

    /// Uploads `bytes` in chunks of `chunk` bytes; returns the last reply.
    static func upload(_ relay: RelayClient, _ bytes: Data, id: String, chunk: Int, token: String) async throws -> Reply {
        let begun = try await relay.post("/v1/attachments", ["attachment_id": id, "size": bytes.count], token: token)
        #expect(begun.status == .created)
        var last = begun
        for offset in stride(from: 0, to: bytes.count, by: chunk) {
            last = try await put(relay, id, offset: offset, bytes[offset..<min(bytes.count, offset + chunk)], token: token)
            #expect(last.status == .ok, "\(String(decoding: last.body, as: UTF8.self))")
        }
        return last
    }

    @Test("a blob uploaded in chunks downloads whole and by range", arguments: StoreEngine.allCases.filter(\.isAvailable))
    func roundTrip(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await withRelay(store: store, configure: { $0.maxAttachmentChunkSize = 64 * 1024 + 16 }) { relay in
                let sender = try await relay.signedIn()
                let reader = try await relay.signedIn()
                let (bytes, id) = Self.blob(300_000)
                let done = try await Self.upload(relay, bytes, id: id, chunk: 64 * 1024 + 16, token: sender.token)
                #expect(done.json["complete"] as? Bool == true)
                #expect(done.json["received"] as? Int == 300_000)
                #expect(done.json["attachment_id"] as? String == id)

                let whole = try await relay.get("/v1/attachments/\(id)", token: reader.token)
                #expect(whole.status == .ok)
                #expect(sameBytes(whole.body, bytes))
                #expect(whole.headers[.contentType] == "application/octet-stream")
                #expect(whole.headers[.acceptRanges] == "bytes")
                try DocumentedHeader.expect(whole, "get", Self.downloadPath)

                for (header, range) in [("bytes=100-199", 100..<200), ("bytes=65000-70000", 65000..<70001), ("bytes=299990-", 299_990..<300_000),
                                        ("bytes=-10", 299_990..<300_000), ("bytes=299990-999999", 299_990..<300_000)] {
                    let part = try await relay.request(.get, "/v1/attachments/\(id)", token: reader.token, headers: [.range: header])
                    #expect(part.status == .partialContent, "\(header)")
                    #expect(sameBytes(part.body, bytes[range]), "\(header)")
                    #expect(part.headers[.contentRange] == "bytes \(range.lowerBound)-\(range.upperBound - 1)/300000", "\(header)")
                    #expect(part.headers[.acceptRanges] == "bytes", "\(header)")
                    try DocumentedHeader.expect(part, "get", Self.downloadPath)
                }
                // Several ranges or another unit: the whole body (RFC 9110 §14.2 lets a server ignore Range).
                let ignored = try await relay.request(.get, "/v1/attachments/\(id)", token: reader.token, headers: [.range: "bytes=0-1,5-6"])
                #expect(ignored.status == .ok && sameBytes(ignored.body, bytes))
                // Past the end, or an empty suffix: 416, a problem that names the length (RFC 9110 §15.5.17).
                for header in ["bytes=300000-", "bytes=300000-300010", "bytes=999999999-", "bytes=-0"] {
                    let unsatisfiable = try await relay.request(.get, "/v1/attachments/\(id)", token: reader.token, headers: [.range: header])
                    unsatisfiable.expectProblem(.rangeNotSatisfiable, "range-not-satisfiable")
                    #expect(unsatisfiable.headers[.contentRange] == "bytes */300000", "\(header)")
                    try DocumentedHeader.expect(unsatisfiable, "get", Self.downloadPath)
                }

                // Beginning a complete attachment again says it is complete: nothing to upload.
                let again = try await relay.post("/v1/attachments", ["attachment_id": id, "size": bytes.count], token: reader.token)
                #expect(again.status == .ok)
                #expect(again.json["complete"] as? Bool == true)
            }
        }
    }

    @Test("an interrupted upload resumes from what the relay holds")
    func resume() async throws {
        try await withRelay { relay in
            let sender = try await relay.signedIn()
            let (bytes, id) = Self.blob(10_000)
            #expect(try await relay.post("/v1/attachments", ["attachment_id": id, "size": 10_000], token: sender.token).status == .created)
            #expect(try await Self.put(relay, id, offset: 0, bytes[0..<4000], token: sender.token).status == .ok)
            // The client lost its state: it asks, then continues.
            let status = try await relay.get("/v1/attachments/\(id)/status", token: sender.token)
            #expect(status.status == .ok)
            #expect(status.json["received"] as? Int == 4000)
            #expect(status.json["complete"] as? Bool == false)
            let begunAgain = try await relay.post("/v1/attachments", ["attachment_id": id, "size": 10_000], token: sender.token)
            #expect(begunAgain.status == .ok && begunAgain.json["received"] as? Int == 4000)
            try await relay.get("/v1/attachments/\(id)", token: sender.token).expectProblem(.conflict, "attachment-incomplete")
            let done = try await Self.put(relay, id, offset: 4000, bytes[4000...], token: sender.token)
            #expect(done.json["complete"] as? Bool == true)
            #expect(try await relay.get("/v1/attachments/\(id)", token: sender.token).body == bytes)
        }
    }

    @Test("bytes that do not hash to the ID are refused, and the upload is discarded")
    func wrongHash() async throws {
        try await withRelay { relay in
            let sender = try await relay.signedIn()
            let (bytes, id) = Self.blob(1000)
            #expect(try await relay.post("/v1/attachments", ["attachment_id": id, "size": 1000], token: sender.token).status == .created)
            #expect(try await Self.put(relay, id, offset: 0, bytes[0..<500], token: sender.token).status == .ok)
            var tampered = Data(bytes[500...])
            tampered[tampered.startIndex] ^= 1
            try await Self.put(relay, id, offset: 500, tampered, token: sender.token).expectProblem(.unprocessableContent, "attachment-hash-mismatch")
            try await relay.get("/v1/attachments/\(id)/status", token: sender.token).expectProblem(.notFound, "unknown-attachment")
            try await relay.get("/v1/attachments/\(id)", token: sender.token).expectProblem(.notFound, "unknown-attachment")
            // Begun afresh with the right bytes, it completes.
            #expect(try await Self.upload(relay, bytes, id: id, chunk: 600, token: sender.token).json["complete"] as? Bool == true)
        }
    }

    @Test("chunks out of order or overlapping are 409 problems that say where to resume; nothing is stored")
    func outOfOrder() async throws {
        try await withRelay { relay in
            let sender = try await relay.signedIn()
            let (bytes, id) = Self.blob(1000)
            _ = try await relay.post("/v1/attachments", ["attachment_id": id, "size": 1000], token: sender.token)
            try await Self.put(relay, id, offset: 100, bytes[100..<200], token: sender.token).expectProblem(.conflict, "offset-mismatch")
            #expect(try await Self.put(relay, id, offset: 0, bytes[0..<300], token: sender.token).status == .ok)
            let overlap = try await Self.put(relay, id, offset: 200, bytes[200..<400], token: sender.token)
            overlap.expectProblem(.conflict, "offset-mismatch")
            #expect(overlap.json["received"] as? Int == 300)
            try await Self.put(relay, id, offset: 0, bytes[0..<300], token: sender.token).expectProblem(.conflict, "offset-mismatch")
            #expect(try await relay.get("/v1/attachments/\(id)/status", token: sender.token).json["received"] as? Int == 300)
            #expect(try await Self.put(relay, id, offset: 300, bytes[300...], token: sender.token).json["complete"] as? Bool == true)
            try await Self.put(relay, id, offset: 1000, Data([1]), token: sender.token).expectProblem(.conflict, "attachment-conflict")
            #expect(try await relay.get("/v1/attachments/\(id)", token: sender.token).body == bytes)
        }
    }

    @Test("sizes over the limits are 413 problems")
    func overSize() async throws {
        try await withRelay(configure: { $0.maxAttachmentSize = 5000; $0.maxAttachmentChunkSize = 1000 }) { relay in
            let sender = try await relay.signedIn()
            let (bytes, id) = Self.blob(3000)
            try await relay.post("/v1/attachments", ["attachment_id": id, "size": 5001], token: sender.token).expectProblem(.contentTooLarge, "request-too-large")
            #expect(try await relay.post("/v1/attachments", ["attachment_id": id, "size": 3000], token: sender.token).status == .created)
            try await Self.put(relay, id, offset: 0, bytes[0..<1001], token: sender.token).expectProblem(.contentTooLarge, "request-too-large")
            #expect(try await Self.put(relay, id, offset: 0, bytes[0..<1000], token: sender.token).status == .ok)
            #expect(try await Self.put(relay, id, offset: 1000, bytes[1000..<2000], token: sender.token).status == .ok)
            try await Self.put(relay, id, offset: 2000, bytes[2000...] + Data([0]), token: sender.token).expectProblem(.contentTooLarge, "request-too-large")
            #expect(try await relay.get("/v1/attachments/\(id)/status", token: sender.token).json["received"] as? Int == 2000)
        }
    }

    @Test("unknown IDs are 404 problems; malformed IDs, offsets and sizes are 400")
    func badInput() async throws {
        try await withRelay { relay in
            let sender = try await relay.signedIn()
            let (bytes, id) = Self.blob(100)
            try await relay.get("/v1/attachments/\(id)", token: sender.token).expectProblem(.notFound, "unknown-attachment")
            try await relay.get("/v1/attachments/\(id)/status", token: sender.token).expectProblem(.notFound, "unknown-attachment")
            try await Self.put(relay, id, offset: 0, bytes, token: sender.token).expectProblem(.notFound, "unknown-attachment")

            try await relay.get("/v1/attachments/\(id.uppercased())", token: sender.token).expectProblem(.badRequest, "malformed-request")
            try await relay.get("/v1/attachments/abc", token: sender.token).expectProblem(.badRequest, "malformed-request")
            try await relay.post("/v1/attachments", ["attachment_id": String(id.dropLast()), "size": 100], token: sender.token).expectProblem(.badRequest, "malformed-request")
            try await relay.post("/v1/attachments", ["attachment_id": id, "size": 0], token: sender.token).expectProblem(.badRequest, "malformed-request")
            try await relay.post("/v1/attachments", ["attachment_id": id, "size": "100"], token: sender.token).expectProblem(.badRequest, "malformed-request")
            try await relay.post("/v1/attachments", ["attachment_id": id], token: sender.token).expectProblem(.badRequest, "malformed-request")
            #expect(try await relay.post("/v1/attachments", ["attachment_id": id, "size": 100], token: sender.token).status == .created)
            try await relay.post("/v1/attachments", ["attachment_id": id, "size": 99], token: sender.token).expectProblem(.conflict, "attachment-conflict")
            try await relay.request(.put, "/v1/attachments/\(id)", body: bytes, token: sender.token, contentType: "application/octet-stream")
                .expectProblem(.badRequest, "malformed-request")
            try await Self.put(relay, id, offset: -1, bytes, token: sender.token).expectProblem(.badRequest, "malformed-request")
            try await Self.put(relay, id, offset: 0, Data(), token: sender.token).expectProblem(.badRequest, "malformed-request")

            // Another device can neither join nor take over the upload.
            let other = try await relay.signedIn()
            try await relay.post("/v1/attachments", ["attachment_id": id, "size": 100], token: other.token).expectProblem(.conflict, "attachment-conflict")
            try await Self.put(relay, id, offset: 0, bytes, token: other.token).expectProblem(.conflict, "attachment-conflict")
            #expect(try await relay.get("/v1/attachments/\(id)/status", token: sender.token).json["received"] as? Int == 0)
        }
    }

    @Test("every attachment route needs a bearer token")
    func unauthenticated() async throws {
        try await withRelay { relay in
            let (bytes, id) = Self.blob(10)
            try await relay.post("/v1/attachments", ["attachment_id": id, "size": 10]).expectProblem(.unauthorized, "unauthorized")
            try await relay.request(.put, "/v1/attachments/\(id)?offset=0", body: bytes, contentType: "application/octet-stream").expectProblem(.unauthorized, "unauthorized")
            try await relay.get("/v1/attachments/\(id)/status").expectProblem(.unauthorized, "unauthorized")
            try await relay.get("/v1/attachments/\(id)").expectProblem(.unauthorized, "unauthorized")
            try await relay.get("/v1/attachments/\(id)", token: b64(Data(count: 32))).expectProblem(.unauthorized, "unauthorized")
        }
    }

    @Test("attachments expire with the message retention, complete or not")
    func expiry() async throws {
        try await withRelay(configure: { $0.messageRetention = 3600 }) { relay in
            let sender = try await relay.signedIn()
            let (bytes, id) = Self.blob(100)
            let (_, partial) = Self.blob(100)
            #expect(try await Self.upload(relay, bytes, id: id, chunk: 100, token: sender.token).json["complete"] as? Bool == true)
            _ = try await relay.post("/v1/attachments", ["attachment_id": partial, "size": 100], token: sender.token)
            relay.clock.advance(by: 3601)
            let token = try await relay.token(for: sender)
            try await relay.get("/v1/attachments/\(id)", token: token).expectProblem(.notFound, "unknown-attachment")
            try await relay.get("/v1/attachments/\(partial)/status", token: token).expectProblem(.notFound, "unknown-attachment")
        }
    }

    @Test("relays sharing one PostgreSQL database share attachments",
          .enabled(if: StoreEngine.postgres.isAvailable, "ISNAD_TEST_POSTGRES_URL is unset: no PostgreSQL server to share"))
    func sharedAcrossRelays() async throws {
        try await StoreEngine.withPostgresDatabase { url in
            let (bytes, id) = Self.blob(5000)
            let first = try PostgresRelayStore(url: url, logger: StoreEngine.quietLogger)
            let second = try PostgresRelayStore(url: url, logger: StoreEngine.quietLogger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await first.run() }
                group.addTask { try await second.run() }
                defer { group.cancelAll() }
                try await first.migrate()
                // One relay takes the upload; the reader's relay is another process on the same database.
                let reader = TestDevice()
                try await withRelay(store: first) { relay in
                    let sender = try await relay.signedIn()
                    _ = try await relay.signedIn(reader)
                    #expect(try await Self.upload(relay, bytes, id: id, chunk: 2000, token: sender.token).json["complete"] as? Bool == true)
                }
                try await withRelay(store: second) { relay in
                    var signedIn = reader
                    signedIn.id = try #require(try await relay.post("/v1/accounts", reader.registration).json["device_id"] as? String)
                    let token = try await relay.token(for: signedIn)
                    #expect(try await relay.get("/v1/attachments/\(id)", token: token).body == bytes)
                }
            }
        }
    }
}
