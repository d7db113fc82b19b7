import Foundation
@testable import IsnadKit
import IsnadWire
import Testing

/// The reporter's part of the encrypted home store: drafts, evidence items, the persistent outbox.
@Suite("Reporter store")
struct ReportStoreTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    /// A fresh home with a store; removed by the caller.
    static func home() throws -> (Home, LocalStore) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("isnad-reporter-\(UUID().uuidString)")
        let home = Home(url: folder)
        return (home, try LocalStore.create(home: home, passphrase: "p", parameters: VaultTests.fast))
    }

    static func reporter(_ store: LocalStore) -> Reporter {
        Reporter(store: store, transport: URLSessionTransport(), now: { now })
    }

    @Test("attach records the file's SHA-256, size, media type, device note and modification time (approximate)")
    func attach() async throws {
        let (home, store) = try Self.home()
        defer { try? FileManager.default.removeItem(at: home.url) }
        let reporter = Self.reporter(store)
        let id = try reporter.create(Report(incidentType: .shelling, narrative: "n"))
        let file = home.url.appendingPathComponent("clip.MP4")
        try Data("abc".utf8).write(to: file)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_780_000_000)], ofItemAtPath: file.path)
        let item = try reporter.attach(id, file: file, note: "phone camera")
        // SHA-256("abc"), FIPS 180-2 appendix B.1.
        #expect(item.sha256.map { String(format: "%02x", $0) }.joined() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(item.size == 3)
        #expect(item.mediaType == "video/mp4")
        #expect(item.captureDevice == "phone camera")
        #expect(item.captureTime == ReportTime(precision: .approximate, secondsSinceEpoch: 1_780_000_000))
        let given = ReportTime(precision: .day, secondsSinceEpoch: 1_779_926_400)
        #expect(try reporter.attach(id, file: file, captureTime: given).captureTime == given)
        #expect(Reporter.mediaType(URL(fileURLWithPath: "/x/no-extension")) == "application/octet-stream")

        let reopened = Self.reporter(try LocalStore.open(home: home, passphrase: "p"))
        let summary = try #require(try await reopened.summaries().first)
        #expect(summary.id == id && summary.state == "draft" && summary.evidence == 2)
        #expect(throws: ClientError.self) { try reporter.attach("0000000000000000", file: file) }
        #expect(throws: ClientError.self) { try reporter.attach(id, file: home.url.appendingPathComponent("missing.jpg")) }
    }

    @Test("the stored outbox keeps the sealed bytes byte for byte and every state across a reopen")
    func outboxSurvives() async throws {
        let (home, store) = try Self.home()
        defer { try? FileManager.default.removeItem(at: home.url) }
        let sealed = (0..<600).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let url = try #require(URL(string: "https://observatory.example"))
        var item = OutboxItem(id: UUID(), observatory: url, logVerifierKey: "k", signedReport: [1, 2, 3], sealed: sealed, attempts: 2)
        try await StoredReportOutbox(store: store).save(item)
        let other = OutboxItem(id: UUID(), observatory: url, logVerifierKey: "k", signedReport: [4], sealed: [5],
                               state: .rejected(reason: "report.replay", message: "seen before"))
        try await StoredReportOutbox(store: store).save(other)

        let reopened = StoredReportOutbox(store: try LocalStore.open(home: home, passphrase: "p"))
        let back = try #require(try await reopened.item(item.id))
        #expect(back == item, "same ID, same sealed bytes, same state and attempts")
        #expect(try await reopened.items().map(\.id) == [item.id, other.id])
        #expect(try await reopened.item(other.id)?.state == .rejected(reason: "report.replay", message: "seen before"))
        item.state = .delivered(receipt: [9, 9, 9], logIndex: 42)
        try await reopened.save(item)
        #expect(try await reopened.item(item.id)?.state == .delivered(receipt: [9, 9, 9], logIndex: 42))
        #expect(try await reopened.item(UUID()) == nil)
    }

    @Test("the reporter seed is created once and kept")
    func seedKept() throws {
        let (home, store) = try Self.home()
        defer { try? FileManager.default.removeItem(at: home.url) }
        let first = try Self.reporter(store).identity().masterSeed
        let again = try Self.reporter(try LocalStore.open(home: home, passphrase: "p")).identity().masterSeed
        #expect(first == again)
        #expect(first.count == 32)
    }
}
