import Foundation
import IsnadObservatory
import IsnadStore
import IsnadTransparency
import IsnadWire
import Testing

@Suite("Observatory log")
struct LogTests {
    typealias F = ObservatoryFixtures

    /// Accepts and logs `count` reports in batches of `batch`.
    static func fill(_ observatory: Observatory, count: Int, batch: Int) async throws {
        let reporter = F.reporter()
        var appended = 0
        for number in 0..<count {
            _ = try await observatory.intake.submit(.random(), sealed: try F.sealed(F.report(number), by: reporter, to: observatory.keys.publicKeys), now: F.now)
            if (number + 1) % batch == 0 { appended += try await observatory.sequencer.appendBatch() }
        }
        appended += try await observatory.sequencer.appendBatch()
        #expect(appended == count)
    }

    @Test("stored tiles and entry bundles are the tree's: roots and proofs from tiles verify against the checkpoint")
    func tilesMatchTree() async throws {
        let observatory = try F.observatory()
        try await Self.fill(observatory, count: 300, batch: 7)
        let store = observatory.store
        let note = try #require(try await store.latestCheckpoint())
        let checkpoint = try Checkpoint.open(Array(note.note), origin: observatory.keys.origin, verifiers: [observatory.keys.logVerifier]).checkpoint
        #expect(checkpoint.treeSize == 300)
        var tiles: [Tile: [UInt8]] = [:]
        for tile in Tile.tiles(treeSize: 300) {
            let stored = try #require(try await store.tile(level: tile.level, index: tile.index))
            #expect(stored.width == tile.width)
            tiles[tile] = Array(stored.data)
        }
        #expect(try TileProofBuilder.rootHash(treeSize: 300, tiles: tiles) == checkpoint.rootHash)
        let entries = try await store.logEntries(from: 0, count: 300)
        let leafTile = try Tile(level: 0, index: 0)
        #expect(entries.prefix(256).map { MerkleTreeHash.leafHash(Array($0)) } == (try leafTile.hashes(from: tiles[leafTile] ?? [])))
        let proof = try TileProofBuilder.consistencyProof(from: 100, to: 300, tiles: tiles)
        var smaller = MerkleLog()
        for entry in entries.prefix(100) { smaller.append(Array(entry)) }
        try MerkleProofVerifier.verifyConsistency(firstSize: 100, secondSize: 300, firstRoot: smaller.rootHash(), secondRoot: checkpoint.rootHash, proof: proof)
    }

    @Test("audit finds nothing in a sound log and names an altered report")
    func audit() async throws {
        let store = InMemoryObservatoryStore()
        let observatory = try F.observatory(store: store)
        try await Self.fill(observatory, count: 5, batch: 2)
        let clean = try await LogAudit.run(store: store, verifier: observatory.keys.logVerifier)
        #expect(clean.findings.isEmpty)
        #expect(clean.reportsChecked == 5)
        let victim = try #require(try await store.loggedReports(from: 3, limit: 1).first)
        var altered = victim.signedReport
        altered[altered.count - 1] ^= 0x01
        store.tamper(with: victim.submissionID, signedReport: altered)
        let dirty = try await LogAudit.run(store: store, verifier: observatory.keys.logVerifier)
        #expect(dirty.findings == [LogAudit.Finding(kind: .reportAltered, index: 3)])
    }

    @Test("the sequencer restores the tree from storage and continues the same log")
    func restore() async throws {
        let store = InMemoryObservatoryStore()
        let keys = try ObservatoryKeys.generate(origin: "test.isnad/observatory")
        try await Self.fill(try F.observatory(store: store, keys: keys), count: 10, batch: 3)
        let again = try F.observatory(store: store, keys: keys)
        try await Self.fill(again, count: 4, batch: 4)
        let result = try await LogAudit.run(store: store, verifier: keys.logVerifier)
        #expect(result.logSize == 14)
        #expect(result.findings.isEmpty)
    }

    @Test("the key file is created once with mode 0600 and read back")
    func keyFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("isnad-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let created = try ObservatoryKeys.loadOrCreate(in: folder)
        let loaded = try ObservatoryKeys.loadOrCreate(in: folder)
        #expect(created.logVerifier == loaded.logVerifier)
        #expect(created.sealingKey.publicKey.rawRepresentation == loaded.sealingKey.publicKey.rawRepresentation)
        let attributes = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(ObservatoryKeys.fileName).path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }
}

@Suite("docs for the observatory")
struct ObservatoryDocumentTests {
    static let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs")

    @Test("every rejection reason is in docs/openapi.yaml's Problem codes and in docs/observatory.md")
    func reasonsDocumented() throws {
        let openAPI = try String(contentsOf: Self.docs.appendingPathComponent("openapi.yaml"), encoding: .utf8)
        let guide = try String(contentsOf: Self.docs.appendingPathComponent("observatory.md"), encoding: .utf8)
        let codes = IntakeRejection.reasons + [ObservatoryError.Code.submissionIDReused, .outOfRange].map(\.rawValue)
        for code in codes {
            #expect(openAPI.contains(code), "\(code) is missing from docs/openapi.yaml")
            #expect(guide.contains("`\(code)`"), "\(code) is missing from docs/observatory.md")
        }
    }
}
