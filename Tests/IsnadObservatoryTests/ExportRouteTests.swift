import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IsnadWire
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

@testable import IsnadObservatory

@Suite("Export routes")
struct ExportRouteTests {
    @Test("CSV: content type, file name, one row per figure, the figures' numbers")
    func csv() async throws {
        let (first, second) = try DashboardFixtures.snapshots()
        let app = try DashboardFixtures.application([first, second])
        let (status, headers, body) = try await DashboardFixtures.get(app, "/observatory/snapshots/2.csv")
        #expect(status == .ok)
        #expect(headers[.contentType] == "text/csv; charset=utf-8; header=present")
        #expect(headers[.contentDisposition] == "attachment; filename=\"isnad-snapshot-2.csv\"")
        let rows = try CSVReader.parse(String(decoding: body, as: UTF8.self))
        #expect(rows.first == TallyCSVExporter.columns)
        #expect(rows.count == second.snapshot.figures.count + 1)
        for (row, figure) in zip(rows.dropFirst(), second.snapshot.figures) {
            #expect(row[4] == String(figure.atLeast))
            #expect(row.last == second.snapshot.hashHex)
        }
    }

    @Test("Filters apply to exports: one outcome, a status floor")
    func filtered() async throws {
        let (_, second) = try DashboardFixtures.snapshots()
        let app = try DashboardFixtures.application([second])
        let (_, _, body) = try await DashboardFixtures.get(app, "/observatory/snapshots/2.csv?outcome=killed&status=corroborated")
        let rows = try CSVReader.parse(String(decoding: body, as: UTF8.self))
        let expected = second.snapshot.figures.filter { $0.outcome == .killed && $0.status >= .corroborated }
        #expect(rows.count == expected.count + 1)
        #expect(rows.dropFirst().allSatisfy { $0[3] == "killed" })
    }

    @Test("JSON: application/json, decodes, same figures")
    func json() async throws {
        let (first, second) = try DashboardFixtures.snapshots()
        let app = try DashboardFixtures.application([first, second])
        let (status, headers, body) = try await DashboardFixtures.get(app, "/observatory/snapshots/2.json")
        #expect(status == .ok)
        #expect(headers[.contentType] == "application/json")
        #expect(headers[.contentDisposition] == "attachment; filename=\"isnad-snapshot-2.json\"")
        let document = try JSONDecoder().decode(ExportTests.Document.self, from: Data(body))
        #expect(document.snapshot.sequence == 2)
        #expect(document.snapshot.previous_hash == first.snapshot.hashHex)
        #expect(document.figures.map(\.at_least) == second.snapshot.figures.map(\.atLeast))
    }

    @Test("HXL: the hashtag row and the chosen outcome's rows")
    func hxl() async throws {
        let (_, second) = try DashboardFixtures.snapshots()
        let app = try DashboardFixtures.application([second])
        let (status, headers, body) = try await DashboardFixtures.get(app, "/observatory/snapshots/2.hxl.csv?outcome=injured")
        #expect(status == .ok)
        #expect(headers[.contentDisposition] == "attachment; filename=\"isnad-snapshot-2-injured.hxl.csv\"")
        let rows = try CSVReader.parse(String(decoding: body, as: UTF8.self))
        #expect(rows[1][3] == "#affected+injured")
        #expect(rows.count == 2 + second.snapshot.figures.filter { $0.outcome == .injured }.count)
    }

    @Test("Atom: one entry per snapshot, newest first, absolute links under the public URL")
    func atom() async throws {
        let (first, second) = try DashboardFixtures.snapshots()
        var observatory = try DashboardFixtures.observatory([first, second])
        observatory.publicURL = "http://observatory.example"
        let router = Router()
        observatory.register(on: router)
        let app = Application(router: router)
        let (status, headers, body) = try await DashboardFixtures.get(app, "/observatory/snapshots.atom")
        #expect(status == .ok)
        #expect(headers[.contentType] == "application/atom+xml; charset=utf-8")
        let parser = XMLParser(data: Data(body))
        let reader = ExportTests.FeedReader()
        parser.delegate = reader
        #expect(parser.parse())
        #expect(reader.text["feed/entry/title"] == ["Snapshot 2", "Snapshot 1"])
        let csv = "http://observatory.example/observatory/snapshots/\(second.snapshot.hashHex).csv"
        #expect(reader.links.contains(csv))
        // The feed's links answer: by hash, with the suffix.
        let (linked, _, _) = try await DashboardFixtures.get(app, String(csv.dropFirst("http://observatory.example".count)))
        #expect(linked == .ok)
    }

    @Test("A large export streams: the same bytes as the exporter writes, in many chunks, never more than the channel holds")
    func streaming() async throws {
        let snapshot = SyntheticSnapshot.make(rows: 20_000, sequence: 7)
        let app = try DashboardFixtures.application([PublishedSnapshot(snapshot: snapshot, logIndex: 1)])
        let (status, _, body) = try await DashboardFixtures.get(app, "/observatory/snapshots/7.csv")
        #expect(status == .ok)
        var direct = CollectingSink()
        try TallyCSVExporter.export(snapshot, to: &direct)
        #expect(body.count == direct.bytes.count && body == direct.bytes)
        #expect(body.count > 20 * ExportStreaming.ChunkSink.chunkSize, "many chunks")
    }

    @Test("The channel blocks a fast producer at its capacity and delivers everything in order")
    func channelBound() async throws {
        let channel = ExportChannel()
        let producer = Thread {
            for k in 0..<200 { try? channel.send([UInt8(k % 256)]) }
            channel.finish(nil)
        }
        producer.start()
        var received: [UInt8] = []
        while let chunk = try await channel.next() {
            #expect(channel.pending <= ExportChannel.capacity)
            received += chunk
            try await Task.sleep(for: .microseconds(50))
        }
        #expect(received == (0..<200).map { UInt8($0 % 256) })
        #expect(channel.highWater == ExportChannel.capacity, "the producer ran ahead until the channel was full, no further")
    }

    @Test("A consumer that stops cancels the producer")
    func cancellation() async throws {
        let channel = ExportChannel()
        let stopped = Box()
        let producer = Thread {
            var sent = 0
            do {
                while true { try channel.send([1]); sent += 1 }
            } catch {
                stopped.set(sent)
            }
        }
        producer.start()
        _ = try await channel.next()
        channel.cancel()
        for _ in 0..<200 where stopped.value == nil { try await Task.sleep(for: .milliseconds(5)) }
        #expect(stopped.value != nil && stopped.value! <= ExportChannel.capacity + 1)
    }

    final class Box: @unchecked Sendable {
        // @unchecked: guarded by the lock.
        private let lock = NSLock()
        private var stored: Int?
        func set(_ v: Int) { lock.lock(); stored = v; lock.unlock() }
        var value: Int? { lock.lock(); defer { lock.unlock() }; return stored }
    }
}
