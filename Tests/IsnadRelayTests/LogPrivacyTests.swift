import Crypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import HummingbirdWSTesting
import HummingbirdWebSocket
@testable import IsnadRelay
import IsnadStore
import Logging
import Synchronization
import Testing

/// Every log line the relay (and Hummingbird under it) writes, as text, captured by a swift-log handler.
final class CapturedLog: Sendable {
    private let lines = Mutex<[String]>([])

    var text: String { lines.withLock { $0.joined(separator: "\n") } }
    var entries: [String] { lines.withLock { $0 } }

    /// A logger at `level` whose every message lands here (message, metadata and source).
    func logger(level: Logger.Level) -> Logger {
        var logger = Logger(label: "isnad.relay.test") { label in Handler(label: label, log: self) }
        logger.logLevel = level
        return logger
    }

    fileprivate func append(_ line: String) { lines.withLock { $0.append(line) } }

    struct Handler: LogHandler {
        let label: String
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            let fields = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            log.append("\(event.level) \(label) [\(event.source)] \(event.message) \(fields)")
        }
    }
}

@Suite("Logs carry no identifiers or addresses")
struct LogPrivacyTests {
    @Test("a realistic session over loopback logs only keyed hashes of IDs at debug, and no address")
    func noIdentifiers() async throws {
        let captured = CapturedLog()
        var mls = try TestGroup()
        let joinerKeys = try mls.bundle("bob")
        let (commitBytes, welcomeBytes) = try mls.commit(adding: [joinerKeys.keyPackage])
        let welcome = try #require(welcomeBytes)
        let group = mls
        let secrets = SecretsSeen()
        try await withRelay(.live, configure: {
            // Rate limits on, so the peer's address goes through the limiter as in production.
            $0.addressRateLimit = .init(perSecond: 10_000, burst: 10_000)
            $0.deviceRateLimit = .init(perSecond: 10_000, burst: 10_000)
        }, logger: captured.logger(level: .trace)) { relay in
            let alice = try await relay.signedIn()
            let bob = try await relay.signedIn()
            secrets.add(alice, bob)
            _ = try await relay.post("/v1/keypackages", ["key_packages": [b64(Data("bob kp".utf8))]], token: bob.token)
            #expect(try await relay.post("/v1/keypackages/claim", ["identity_key": bob.identityKey], token: alice.token).status == .ok)

            let commitID = UUID().uuidString
            let commit: [String: Any] = ["message_id": commitID, "epoch": 0, "commit": b64(commitBytes), "recipients": [] as [String],
                                         "welcome": ["message": b64(welcome), "recipients": [bob.id]]]
            #expect(try await relay.post("/v1/groups/\(group.pathID)/commits", commit, token: alice.token).status == .ok)
            try await relay.post("/v1/groups/\(group.pathID)/commits", ["message_id": UUID().uuidString, "epoch": 0, "commit": b64(commitBytes), "recipients": [] as [String]],
                                 token: alice.token).expectProblem(.conflict, "epoch-conflict")
            let messageID = UUID().uuidString
            #expect(try await relay.post("/v1/messages", ["message_id": messageID, "recipients": [bob.id], "payload": b64(Data("sealed".utf8))], token: alice.token).status == .created)
            secrets.add(commitID, messageID, group.pathID, b64(group.groupID), String(decoding: group.groupID, as: UTF8.self))

            // Bob reads by push and acknowledges over the socket.
            try await relay.client.ws("/v1/messages/ws", configuration: .init(additionalHeaders: [.authorization: "Bearer \(bob.token)"])) { inbound, outbound, _ in
                var frames = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                let pushed = PushedPayloads()
                while pushed.cursors.count < 2, let frame = try await frames.next() { try pushed.record(frame) }
                try await outbound.write(.text(String(decoding: try JSONSerialization.data(withJSONObject: ["cursors": pushed.cursors]), as: UTF8.self)))
                try await outbound.close(.normalClosure, reason: nil)
            }

            // An attachment, a wrong upload of another, a download by range.
            let blob = Data((0..<5000).map { UInt8(truncatingIfNeeded: $0 * 7) })
            let attachmentID = AttachmentID(of: blob).description
            secrets.add(attachmentID)
            _ = try await AttachmentRouteTests.upload(relay, blob, id: attachmentID, chunk: 2000, token: alice.token)
            #expect(try await relay.request(.get, "/v1/attachments/\(attachmentID)", token: bob.token, headers: [.range: "bytes=0-99"]).status == .partialContent)
            let wrongID = AttachmentID(of: Data("other".utf8)).description
            secrets.add(wrongID)
            _ = try await relay.post("/v1/attachments", ["attachment_id": wrongID, "size": 10], token: alice.token)
            try await AttachmentRouteTests.put(relay, wrongID, offset: 0, Data(count: 10), token: alice.token).expectProblem(.unprocessableContent, "attachment-hash-mismatch")

            // A second device is linked, listed and removed.
            let linked = try await DeviceRouteTests.linked(relay, to: alice)
            secrets.add(linked)
            #expect(try await relay.get("/v1/devices?identity_key=\(alice.identityKey)", token: bob.token).status == .ok)
            #expect(try await relay.request(.delete, "/v1/devices/\(linked.id)", token: alice.token).status == .noContent)

            // Mistakes: unknown things, no token, a malformed body.
            try await relay.get("/v1/attachments/\(AttachmentID(of: Data()).description)", token: bob.token).expectProblem(.notFound, "unknown-attachment")
            try await relay.get("/v1/messages").expectProblem(.unauthorized, "unauthorized")
            try await relay.post("/v1/messages", ["message_id": messageID, "recipients": [linked.id], "payload": "AQ"], token: alice.token)
                .expectProblem(.unprocessableContent, "message-id-reused")
        }

        let log = captured.text
        #expect(captured.entries.count >= 10, "the session was logged at all: \(captured.entries.count) lines")
        for event in ["account registered", "token issued", "commit accepted", "commit conflicted", "message stored", "push connected",
                      "attachment complete", "attachment hash mismatch", "device linked", "device removed"] {
            let line = captured.entries.first { $0.contains(event) }
            #expect(line != nil, "no “\(event)” line")
            // The identifier is there, as 16 hex digits of a keyed hash.
            #expect(line?.contains(/(device|group|message|attachment)=[0-9a-f]{16}\b/) == true, "\(line ?? event)")
        }
        #expect(!captured.entries.contains { $0.hasPrefix("info") || $0.hasPrefix("notice") }, "nothing at info: \(captured.entries.filter { $0.hasPrefix("info") })")
        for secret in secrets.all + ["127.0.0.1", "::1", "localhost"] {
            #expect(!log.localizedCaseInsensitiveContains(secret), "the log holds “\(secret)”")
        }
    }

    @Test("Hummingbird's logger passes only warnings and errors, with the metadata set on it, rendered only then")
    func frameworkLogger() {
        let captured = CapturedLog()
        var logger = LogRedaction.frameworkLogger(captured.logger(level: .trace))
        logger[metadataKey: "hb.request.id"] = "r1"
        logger[metadataKey: "hb.request.id"] = "r2"
        logger.info("an info message")
        logger.warning("a warning", metadata: ["extra": "x"])
        #expect(captured.entries.count == 1)
        #expect(captured.entries.first?.hasPrefix("warning") == true)
        #expect(captured.entries.first?.contains("hb.request.id=r2") == true, "\(captured.entries)")
        #expect(captured.entries.first?.contains("r1") == false, "\(captured.entries)")
        #expect(captured.entries.first?.contains("extra=x") == true, "\(captured.entries)")
        // Set on the wrapper, not on the handler below it, which would render it at each set.
        let handler = logger.handler as? DeferredMetadataLogHandler
        #expect(handler != nil)
        #expect(handler?.base.metadata.isEmpty == true)
    }
}

/// Identifiers and keys of the session that must not appear in the log, in every spelling the relay sees.
final class SecretsSeen: Sendable {
    private let values = Mutex<[String]>([])
    var all: [String] { values.withLock { $0.filter { !$0.isEmpty } } }

    func add(_ texts: String...) { values.withLock { $0 += texts } }

    func add(_ devices: TestDevice...) {
        for device in devices {
            add(device.id, device.token, device.identityKey, b64(device.key.publicKey.rawRepresentation),
                Data(device.identity.publicKey.rawRepresentation).map { String(format: "%02x", $0) }.joined())
        }
    }
}
