import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

extension ClientScenarios {
    /// The reporter's whole path through the built binary against a real `isnad serve`:
    /// draft, evidence, send, receipt, `isnad verify`; the outbox across an outage; nothing in clear at rest.
    @Suite("Scenario: isnad report")
    struct ReportScenarioTests {
        static let narrative = "narrative-marker-7f3a: the market was shelled at noon"
        static let victim = "Victim-Marker-Zaynab-91c2"
        static let evidenceMarker = "evidence-marker-c0ffee-5d1e"

        static func reportJSON(_ type: String) -> String {
            """
            {"schema_version": 1, "incident_type": "\(type)", "counts": {"killed": {"total": 1}},
             "victims": [{"name_latin": "\(victim)", "outcome": "killed"}], "narrative": "\(narrative)"}
            """
        }

        @Test("new, attach, send, status, receipt, verify; a send during an outage waits and a later sync delivers it once",
              .enabled(if: IsnadBinary.url != nil, Comment(rawValue: IsnadBinary.missing)), .timeLimit(.minutes(4)))
        func reportLifecycle() async throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("isnad-report-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let server = try RelayUnderTest(folder: folder, name: "server", command: "serve")
            try await server.start()
            defer { server.stop() }
            let amal = Person(home: folder.appendingPathComponent("amal"), passphrase: "amal-passphrase")
            try await amal.ok("init", "--name", "amal", "--relay", server.url)

            let reportFile = folder.appendingPathComponent("report.json")
            try Data(Self.reportJSON("shelling").utf8).write(to: reportFile)
            let id = try await amal.ok("report", "new", "--from", reportFile.path).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(id.count == 16, "a local ID: \(id)")
            let evidence = folder.appendingPathComponent("photo.jpg")
            // Over two 64 KiB chunks, the marker repeated in every chunk.
            let photo = Data((0..<4000).flatMap { _ in Array(Self.evidenceMarker.utf8) + [0x0a, 0x00, 0xff] })
            try photo.write(to: evidence)
            let attached = try await amal.ok("report", "attach", id, evidence.path, "--note", "phone camera")
            #expect(attached.stdout.contains("image/jpeg, \(photo.count) bytes"), "\(attached)")

            let sent = try await amal.ok("report", "send", id, server.url)
            #expect(sent.stdout.contains("delivered at log index 0"), "\(sent)")
            #expect(sent.stdout.contains("\(id): 1 of 1 evidence file(s) received by the observatory"), "\(sent)")
            let listed = try await #require(try JSONSerialization.jsonObject(with: Data(amal.ok("report", "status", "--json").stdout.utf8)) as? [[String: Any]])
            #expect(listed.count == 1)
            #expect(listed.first?["state"] as? String == "delivered")
            #expect(listed.first?["log_index"] as? Int == 0)
            #expect(listed.first?["evidence"] as? Int == 1)
            let files = try #require(listed.first?["evidence_files"] as? [[String: Any]])
            #expect(files.count == 1 && files.first?["state"] as? String == "received", "\(files)")
            #expect(files.first?["sha256"] as? String == attached.stdout.split(separator: " ").last.map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) })
            #expect((files.first?["held_bytes"] as? Int).map { $0 > photo.count } == true, "the encrypted blob: header plus tagged chunks")
            // The observatory holds the file only encrypted: no marker anywhere in its data folder.
            let serverFiles = try #require(FileManager.default.enumerator(at: server.data, includingPropertiesForKeys: nil))
            var serverScanned = 0
            for case let file as URL in serverFiles {
                guard let bytes = try? Data(contentsOf: file) else { continue }
                serverScanned += 1
                #expect(bytes.range(of: Data(Self.evidenceMarker.utf8)) == nil, "the evidence in clear in \(file.lastPathComponent)")
            }
            #expect(serverScanned > 0)

            let receiptFile = folder.appendingPathComponent("receipt.bin")
            try writeStandardOutput(of: ["--home", amal.home.path, "report", "receipt", id], passphrase: amal.passphrase, to: receiptFile)
            #expect(try Data(contentsOf: receiptFile).count > 100)
            let verified = try await IsnadBinary.run(["verify", receiptFile.path, "--observatory", server.url])
            #expect(verified.status == 0, "\(verified)")
            let tampered = try Data(contentsOf: receiptFile)
            var flipped = tampered
            flipped[flipped.count - 40] ^= 1
            try flipped.write(to: receiptFile)
            #expect(try await IsnadBinary.run(["verify", receiptFile.path, "--observatory", server.url]).status != 0, "a flipped byte must not verify")

            // On a terminal, `report new` asks; "unknown" and empty answers are accepted as unknown.
            if FileManager.default.isExecutableFile(atPath: "/usr/bin/script") {
                let asked = try askInTerminal(amal, answers: "shelling\n2026-11-01\nunknown\n\nSome Village\nunknown\nunknown\nunknown\n")
                // The ID is the last word shown (after the echoed answers and the prompts).
                let draftID = try #require(asked.split(whereSeparator: { $0.isWhitespace || $0.isNewline }).last.map(String.init))
                let drafts = try await #require(try JSONSerialization.jsonObject(with: Data(amal.ok("report", "status", "--json", "--offline").stdout.utf8)) as? [[String: Any]])
                #expect(drafts.first { $0["id"] as? String == draftID }?["state"] as? String == "draft", "\(asked)")
            } else {
                print("skipped the interactive `report new` check: /usr/bin/script (util-linux) is missing to provide a terminal")
            }

            // The observatory goes down: the second report waits (sealed to the pinned key), then sync delivers it once.
            try Data(Self.reportJSON("air_strike").utf8).write(to: reportFile)
            let second = try await amal.ok("report", "new", "--from", reportFile.path).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            server.stop()
            let waiting = try await amal.ok("report", "send", second, server.url)
            #expect(waiting.stdout.contains("waiting"), "\(waiting)")
            let states = try await #require(try JSONSerialization.jsonObject(with: Data(amal.ok("report", "status", "--json").stdout.utf8)) as? [[String: Any]])
            #expect(states.filter { $0["incident_type"] as? String == "air_strike" }.map { $0["state"] as? String } == ["waiting"])
            #expect(states.first?["state"] as? String == "delivered")
            #expect(try await amal.ok("report", "sync").stdout.contains("waiting"), "still down: still waiting")
            try await server.start()
            let synced = try await amal.ok("report", "sync")
            #expect(synced.stdout.contains("\(second): delivered at log index 1"), "\(synced)")
            #expect(try await amal.ok("report", "sync").stdout.contains("nothing waiting"))
            let again = try await amal.run("report", "send", second, server.url)
            #expect(again.status != 0 && again.stderr.contains("already sent"), "\(again)")
            // Exactly once: the log holds two entries.
            let (checkpoint, _) = try await URLSession.shared.data(from: try #require(URL(string: "\(server.url)/log/checkpoint")))
            let lines = String(decoding: checkpoint, as: UTF8.self).split(separator: "\n")
            #expect(lines.count > 1 && lines[1] == "2", "tree size: \(lines)")

            // Another observatory (new keys) answers at the same address: refused loudly, unless accepted.
            server.stop()
            let impostor = try RelayUnderTest(folder: folder, name: "other", command: "serve", port: server.port)
            try await impostor.start()
            defer { impostor.stop() }
            let third = try await amal.ok("report", "new", "--from", reportFile.path).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let refused = try await amal.run("report", "send", third, server.url)
            #expect(refused.status != 0 && refused.stderr.contains("different key"), "\(refused)")
            let accepted = try await amal.ok("report", "send", third, server.url, "--accept-new-key")
            #expect(accepted.stdout.contains("\(third): delivered at log index 0"), "\(accepted)")

            // A file changed after it was attached is not sent, with one sentence.
            let fourth = try await amal.ok("report", "new", "--from", reportFile.path).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let video = folder.appendingPathComponent("clip.mp4")
            try Data(repeating: 7, count: 3000).write(to: video)
            _ = try await amal.ok("report", "attach", fourth, video.path)
            try Data(repeating: 8, count: 3000).write(to: video)
            let changed = try await amal.run("report", "send", fourth, server.url)
            #expect(changed.status != 0 && changed.stderr.contains("clip.mp4 changed since it was attached"), "\(changed)")
            #expect(changed.stdout.contains("\(fourth): delivered at log index 1"), "the report itself is delivered: \(changed)")

            // Nothing of the reports is in clear in the home folder.
            let enumerator = try #require(FileManager.default.enumerator(at: amal.home, includingPropertiesForKeys: nil))
            var scanned = 0
            for case let file as URL in enumerator {
                guard let bytes = try? Data(contentsOf: file) else { continue }
                scanned += 1
                for marker in [Self.narrative, Self.victim, "narrative-marker-7f3a", "phone camera", Self.evidenceMarker] {
                    #expect(bytes.range(of: Data(marker.utf8)) == nil, "\(marker) in clear in \(file.lastPathComponent)")
                }
            }
            #expect(scanned > 0)
        }

        /// Runs `isnad report new` in a pseudo-terminal (util-linux `script`), typing `answers`; returns what it showed.
        func askInTerminal(_ person: Person, answers: String) throws -> String {
            let binary = try #require(IsnadBinary.url).path
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
            process.arguments = ["-qec", "'\(binary)' --home '\(person.home.path)' report new", "/dev/null"]
            process.environment = ProcessInfo.processInfo.environment.merging(["ISNAD_PASSPHRASE": person.passphrase]) { $1 }
            let input = Pipe(), output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            input.fileHandleForWriting.write(Data(answers.utf8))
            let shown = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "report new in a terminal: \(String(decoding: shown, as: UTF8.self))")
            return String(decoding: shown, as: UTF8.self)
        }

        /// Runs the binary with its standard output going straight to `file` (binary output, unchanged).
        func writeStandardOutput(of arguments: [String], passphrase: String, to file: URL) throws {
            FileManager.default.createFile(atPath: file.path, contents: nil)
            let handle = try FileHandle(forWritingTo: file)
            defer { try? handle.close() }
            let process = Process()
            process.executableURL = try #require(IsnadBinary.url)
            process.arguments = arguments
            process.environment = ProcessInfo.processInfo.environment.merging(["ISNAD_PASSPHRASE": passphrase]) { $1 }
            process.standardOutput = handle
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        }
    }
}
