import Foundation
import GRDB
import IsnadKit
import IsnadObservatory
import IsnadStoreSQLite
import IsnadTransparency
import IsnadWire
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The acceptance scenario against a real `isnad serve` process: reporters file reports,
/// receipts verify with `isnad verify`, the log stays consistent, and tampering with a stored
/// report on disk is caught by `isnad verify` and `isnad observatory audit`.
@Suite("Observatory end to end (isnad serve)", .enabled(if: IsnadBinary.url != nil, "\(IsnadBinary.missing)"), .serialized)
struct EndToEndTests {
    typealias F = ObservatoryFixtures

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("isnad-obs-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test("three reporters, five reports: receipts verify, checkpoints stay consistent, tampering on disk is detected")
    func acceptance() async throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try ServeProcess(folder: folder)
        defer { server.stop() }
        try await server.waitUntilHealthy()

        let outbox = InMemoryReportOutbox()
        let sender = ReportSender(outbox: outbox)
        let reporters = (0..<3).map { _ in F.reporter() }
        let deadline = Date() + 60
        var delivered: [OutboxItem] = []
        for number in 0..<5 {
            let item = try await sender.prepare(
                F.report(number, occurred: Date() - 3600), identity: reporters[number % 3], observatory: server.baseURL)
            let done = try await sender.deliver(item.id, until: deadline)
            guard case .delivered = done.state else {
                Issue.record("report \(number) was not delivered: \(done.state)")
                return
            }
            delivered.append(done)
        }
        let distinctKeys = Set(delivered.map { try? SignedReport(encoded: $0.signedReport).reporterKey })
        #expect(distinctKeys.count == 3, "three reporters, three pseudonymous keys")

        // Every receipt verifies with `isnad verify` against the current public checkpoint.
        var receiptFiles: [URL] = []
        for item in delivered {
            guard case .delivered(let receipt, _) = item.state else { continue }
            let file = folder.appendingPathComponent("receipt-\(item.id).bin")
            try Data(receipt).write(to: file)
            receiptFiles.append(file)
            let result = try await IsnadBinary.run(["verify", file.path, "--observatory", server.baseURL.absoluteString, "--submission", item.id.uuidString])
            #expect(result.status == 0, "isnad verify failed: \(result.error)")
            #expect(result.output.contains("verified"))
        }

        // A later checkpoint is proven consistent with an earlier one.
        guard case .delivered(let firstBytes, _) = delivered[0].state else { return }
        let client = ObservatoryClient(baseURL: server.baseURL)
        let logVerifier = try await client.keys().logVerifier
        let verifier = ReceiptVerifier(logVerifier: logVerifier)
        let first = try verifier.verify(try Receipt(encoded: firstBytes))
        let current = try await client.checkpoint()
        let currentCheckpoint = try Checkpoint.open(current, origin: logVerifier.name, verifiers: [logVerifier]).checkpoint
        #expect(first.checkpoint.treeSize < currentCheckpoint.treeSize, "the first receipt's checkpoint is an earlier one")
        #expect(currentCheckpoint.treeSize == 5)
        let proof = try await client.consistencyProof(from: first.checkpoint.treeSize, to: currentCheckpoint.treeSize)
        _ = try verifier.verifyConsistency(of: first, withCheckpoint: current, proof: proof)

        // The tlog-tiles layout: the level-0 partial tile and its entry bundle agree with the checkpoint.
        let (tile, tileResponse) = try await URLSession.shared.data(from: server.baseURL.appendingPathComponent("log/tile/0/000.p/5"))
        #expect((tileResponse as? HTTPURLResponse)?.statusCode == 200)
        let (bundle, _) = try await URLSession.shared.data(from: server.baseURL.appendingPathComponent("log/tile/entries/000.p/5"))
        let leaves = try EntryBundle(decoding: Array(bundle), width: 5).leafHashes()
        let tileCoordinate = try Tile(level: 0, index: 0, width: 5)
        #expect(try tileCoordinate.hashes(from: Array(tile)) == leaves)
        #expect(try TileProofBuilder.rootHash(treeSize: 5, tiles: [tileCoordinate: Array(tile)]) == currentCheckpoint.rootHash)

        // An independent reader of the public layout (Python, from the C2SP specifications) agrees.
        if IndependentCheck.isAvailable {
            let script = IndependentCheck.script.path
            let result = try IndependentCheck.run([script, server.baseURL.absoluteString, logVerifier.verifierKey])
            #expect(result.status == 0, "the independent tlog-tiles check failed: \(result.output)")
            #expect(result.output.contains("ok: \(logVerifier.name) size 5"))
        } else {
            print("skipped the independent tlog-tiles check: python3 with the cryptography package is not available")
        }

        // Audit of the untouched log finds nothing.
        let data = folder.appendingPathComponent("data")
        let clean = try await IsnadBinary.run(["observatory", "audit", "--data", data.path])
        #expect(clean.status == 0, "audit of a sound log failed: \(clean.output) \(clean.error)")

        // Alter one stored report in the SQLite file on disk.
        let victim = delivered[2]
        guard case .delivered(_, let victimIndex) = victim.state else { return }
        let database = try DatabaseQueue(path: data.appendingPathComponent(SQLiteObservatoryStore.fileName).path)
        try await database.write { db in
            let signed: Data = try Data.fetchOne(db, sql: "SELECT signed_report FROM reports WHERE log_index = ?", arguments: [Int64(victimIndex)]) ?? Data()
            var altered = signed
            altered[altered.count - 70] ^= 0x01
            try db.execute(sql: "UPDATE reports SET signed_report = ? WHERE log_index = ?", arguments: [altered, Int64(victimIndex)])
        }
        try await database.close()

        let detected = try await IsnadBinary.run([
            "verify", receiptFiles[2].path, "--observatory", server.baseURL.absoluteString, "--submission", victim.id.uuidString,
        ])
        #expect(detected.status != 0, "isnad verify did not detect the altered report")
        #expect(detected.error.contains("altered"), "\(detected.error)")
        let untouched = try await IsnadBinary.run([
            "verify", receiptFiles[1].path, "--observatory", server.baseURL.absoluteString, "--submission", delivered[1].id.uuidString,
        ])
        #expect(untouched.status == 0, "an untouched report still verifies: \(untouched.error)")
        let audit = try await IsnadBinary.run(["observatory", "audit", "--data", data.path])
        #expect(audit.status == 1)
        #expect(audit.output.contains("log entry \(victimIndex): the stored report no longer matches"), "\(audit.output)")
    }

    @Test("bad input over HTTP gets an RFC 9457 problem with its reason; a killed server loses nothing accepted")
    func badInputAndCrash() async throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try ServeProcess(folder: folder)
        try await server.waitUntilHealthy()
        let client = ObservatoryClient(baseURL: server.baseURL)
        let keys = try await client.keys().keys

        let sealed = try F.sealed(F.report(1, occurred: Date() - 60), by: F.reporter(), to: keys)
        let id = UUID()
        #expect(try await client.submit(id: id, sealed: sealed).state != "rejected")
        do {
            _ = try await client.submit(id: UUID(), sealed: Array(sealed.prefix(40)))
            Issue.record("a truncated box was accepted")
        } catch let error as ReportingError {
            #expect(error.status == 400)
            #expect(error.problemCode == WireError.Code.malformed.rawValue)
        }
        do {
            _ = try await client.submit(id: UUID(), sealed: sealed)
            Issue.record("a replay was accepted")
        } catch let error as ReportingError {
            #expect(error.status == 409)
            #expect(error.problemCode == "replay")
        }
        do {
            _ = try await client.submit(id: UUID(), sealed: [UInt8](repeating: 1, count: 3 << 20))
            Issue.record("an oversized box was accepted")
        } catch let error as ReportingError {
            #expect(error.status == 413)
        }
        let metrics = String(decoding: try await URLSession.shared.data(from: server.baseURL.appendingPathComponent("observatory/metrics")).0, as: UTF8.self)
        #expect(metrics.contains("isnad_observatory_rejections_total{reason=\"replay\"} 1"))

        // Kill it without warning, start it again: the accepted report is there and gets its receipt.
        server.kill()
        let restarted = try ServeProcess(folder: folder)
        defer { restarted.stop() }
        try await restarted.waitUntilHealthy()
        let again = ObservatoryClient(baseURL: restarted.baseURL)
        let end = Date() + 30
        var state = ""
        while Date() < end {
            state = try await again.status(id: id).state
            if state == "logged" { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(state == "logged")
    }

    @Test("isnad observatory serve runs the observatory alone; isnad observatory keys prints its keys; isnad report new/send/status")
    func standalone() async throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try ServeProcess(folder: folder, arguments: ["observatory", "serve"])
        defer { server.stop() }
        try await server.waitUntilHealthy()
        let client = ObservatoryClient(baseURL: server.baseURL)
        let (keys, verifier) = try await client.keys()
        let printed = try await IsnadBinary.run(["observatory", "keys", "--data", folder.appendingPathComponent("data").path])
        #expect(printed.status == 0)
        #expect(printed.output.contains(verifier.verifierKey), "the CLI prints the key the server publishes")
        #expect(printed.output.contains(keys.sealingKey.rawRepresentation.base64EncodedString()))
        let (_, relayRoute) = try await URLSession.shared.data(from: server.baseURL.appendingPathComponent("v1/keypackages/count"))
        #expect((relayRoute as? HTTPURLResponse)?.statusCode == 404, "no relay routes when the observatory runs alone")

        // The command line: check, send, wait for the receipt, verify it, ask for the status.
        let reportFile = folder.appendingPathComponent("report.json")
        try Data(try F.report(7, occurred: Date() - 60).json()).write(to: reportFile)
        let checked = try await IsnadBinary.run(["report", "check", reportFile.path])
        #expect(checked.status == 0, "\(checked.error)")
        let receiptFile = folder.appendingPathComponent("receipt.bin")
        let sent = try await IsnadBinary.run([
            "report", "send", "--from", reportFile.path, "--observatory", server.baseURL.absoluteString, "--receipt-out", receiptFile.path,
        ])
        #expect(sent.status == 0, "\(sent.error)")
        #expect(sent.output.contains("logged at index 0"))
        let submission = try #require(sent.output.split(separator: "\n").first { $0.hasPrefix("submission ") }).dropFirst("submission ".count)
        let verified = try await IsnadBinary.run(["verify", receiptFile.path, "--observatory", server.baseURL.absoluteString, "--submission", String(submission)])
        #expect(verified.status == 0, "\(verified.error)")
        let status = try await IsnadBinary.run(["report", "status", "--observatory", server.baseURL.absoluteString, "--submission", String(submission)])
        #expect(status.output.contains("logged at log index 0"))
        let invalidFile = folder.appendingPathComponent("invalid.json")
        try Data(#"{"schema_version": 1}"#.utf8).write(to: invalidFile)
        let invalid = try await IsnadBinary.run(["report", "check", invalidFile.path])
        #expect(invalid.status != 0)
        #expect(invalid.error.contains("not valid"))
    }

    @Test("a report stays in the outbox, counted, while the observatory is unreachable")
    func unreachable() async throws {
        let port = try ServeProcess.freePort()
        let outbox = InMemoryReportOutbox()
        let keys = try ObservatoryKeys.generate(origin: "test.isnad/observatory")
        let signed = try F.reporter().key(for: keys.publicKeys).sign(F.report(1), for: keys.publicKeys.sealingKeyID, now: F.now)
        let item = OutboxItem(
            id: UUID(), observatory: URL(string: "http://127.0.0.1:\(port)")!, logVerifierKey: keys.logVerifier.verifierKey,
            signedReport: signed.encoded, sealed: try SealedReport.seal(signed, to: keys.publicKeys).encoded)
        try await outbox.save(item)
        let sender = ReportSender(outbox: outbox, transport: URLSessionTransport(timeout: 2))
        await #expect(throws: ReportingError.self) { try await sender.step(item.id) }
        let kept = try #require(try await outbox.item(item.id))
        #expect(kept.state == .waiting)
        #expect(kept.attempts == 1)
        #expect(kept.sealed == item.sealed, "the same bytes are kept for the retry")
    }
}

/// `Tests/Interop/tlog_tiles_check.py`: an independent reader of the log's public layout.
enum IndependentCheck {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Interop/tlog_tiles_check.py")

    static let isAvailable: Bool = (try? run(["-c", "import cryptography"]))?.status == 0

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
