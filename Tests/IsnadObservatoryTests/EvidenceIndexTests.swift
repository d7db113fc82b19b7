import Crypto
import Foundation
@testable import IsnadObservatory
import IsnadStore
import IsnadStoreSQLite
import IsnadWire
import Logging
import Testing

/// The in-memory index of the evidence files accepted reports name (``EvidenceIndex``).
@Suite("Evidence index")
struct EvidenceIndexTests {
    typealias F = ObservatoryFixtures

    static func file(_ seed: UInt8) -> Data { Data((0..<5000).map { UInt8(truncatingIfNeeded: Int($0) &* Int(seed)) }) }
    static func item(_ file: Data) -> EvidenceItem { EvidenceRouteTests.item(file) }

    /// Submits a report naming `files` through `intake`; true if it was accepted.
    static func accept(_ number: Int, naming files: [Data], through intake: Intake, keys: ObservatoryKeys) async throws -> Bool {
        var report = F.report(number)
        report.evidence = files.map(item)
        let status = try await intake.submit(.random(), sealed: try F.sealed(report, by: F.reporter(), to: keys.publicKeys), now: F.now)
        if case .accepted = status.state { return true }
        return false
    }

    @Test("the intake indexes each report it accepts, without a scan of the store")
    func indexedOnAccept() async throws {
        let store = InMemoryObservatoryStore()
        let keys = try ObservatoryKeys.generate(origin: "test.isnad/observatory")
        // No scan may happen after the first during this test: any file found later came from the intake.
        let intake = Intake(store: store, keys: keys, metrics: ObservatoryMetrics(), logger: Logger(label: "test"), evidenceRescanInterval: .seconds(3600))
        #expect(try await intake.evidence.item(Data(SHA256.hash(data: Self.file(3)))) == nil, "the first lookup scans an empty store")
        #expect(try await Self.accept(1, naming: [Self.file(3), Self.file(5)], through: intake, keys: keys))
        #expect(try await intake.evidence.item(Data(SHA256.hash(data: Self.file(3)))) == Self.item(Self.file(3)))
        #expect(try await intake.evidence.item(Data(SHA256.hash(data: Self.file(5)))) == Self.item(Self.file(5)))
        #expect(try await intake.evidence.item(Data(SHA256.hash(data: Self.file(7)))) == nil, "a file no report names")
    }

    @Test("reports accepted elsewhere (another process on the same store) are found by a scan, at most one scan per interval")
    func acceptedElsewhere() async throws {
        let store = InMemoryObservatoryStore()
        let keys = try ObservatoryKeys.generate(origin: "test.isnad/observatory")
        let elsewhere = Intake(store: store, keys: keys, metrics: ObservatoryMetrics(), logger: Logger(label: "test"))
        #expect(try await Self.accept(1, naming: [Self.file(3)], through: elsewhere, keys: keys))

        let slow = EvidenceIndex(store: store, rescanInterval: .seconds(3600))
        #expect(try await slow.item(Data(SHA256.hash(data: Self.file(3)))) == Self.item(Self.file(3)), "the first lookup scans")
        #expect(await slow.reportCount == 1)
        #expect(try await Self.accept(2, naming: [Self.file(5)], through: elsewhere, keys: keys))
        #expect(try await slow.item(Data(SHA256.hash(data: Self.file(5)))) == nil, "within the interval a miss does not scan")
        #expect(await slow.reportCount == 1)

        let quick = EvidenceIndex(store: store, rescanInterval: .zero)
        #expect(try await quick.item(Data(SHA256.hash(data: Self.file(7)))) == nil)
        #expect(await quick.reportCount == 2)
        #expect(try await Self.accept(3, naming: [Self.file(7), Self.file(3)], through: elsewhere, keys: keys))
        #expect(try await quick.item(Data(SHA256.hash(data: Self.file(7)))) == Self.item(Self.file(7)), "a miss scans the reports not yet indexed")
        #expect(await quick.reportCount == 3)
    }
}

extension EvidenceIndexTests {
    @Test("lookups that arrive while the first scan runs wait for it, and find their files")
    func lookupsDuringScan() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("isnad-evidence-index-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteObservatoryStore(directory: folder)
        defer { try? store.close() }
        let keys = try ObservatoryKeys.generate(origin: "test.isnad/observatory")
        let intake = Intake(store: store, keys: keys, metrics: ObservatoryMetrics(), logger: Logger(label: "test"))
        let files = (1...12).map { Self.file(UInt8($0)) }
        for (number, file) in files.enumerated() { #expect(try await Self.accept(number, naming: [file], through: intake, keys: keys)) }

        // As after a restart: a new index, and uploads of every file resuming at once.
        let index = EvidenceIndex(store: store, rescanInterval: .seconds(3600))
        let found = try await withThrowingTaskGroup(of: EvidenceItem?.self) { group in
            for file in files { group.addTask { try await index.item(Data(SHA256.hash(data: file))) } }
            return try await group.reduce(into: [EvidenceItem?]()) { $0.append($1) }
        }
        #expect(Set(found.compactMap { $0 }) == Set(files.map(Self.item)), "\(found.filter { $0 == nil }.count) lookups found nothing")
    }
}
