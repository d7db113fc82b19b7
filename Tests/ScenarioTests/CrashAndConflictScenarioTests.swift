import Foundation
@testable import IsnadKit
import IsnadMLS
import Testing

extension ClientScenarios {
    /// The client killed between its steps (`ISNAD_CRASH_AT`, which ends the process at once), and
    /// two members committing to the same epoch: group state and history never disagree, nothing is
    /// lost or shown twice, and the loser of a 409 rebuilds its commit on the winner's epoch.
    @Suite("Scenario: crashes between steps and commit conflicts", .serialized)
    struct CrashAndConflictScenarioTests {
        /// Three people on one relay: Hiba knows Idris and Jamal; the group "Well" holds all three.
        struct Cast {
            let relay: RelayUnderTest
            let hiba, idris, jamal: Person
        }

        func withCast(_ body: (Cast) async throws -> Void) async throws {
            try await RelayUnderTest.withRelay("isnad-crash") { folder, relay in
                let cast = Cast(relay: relay, hiba: Person(home: folder.appendingPathComponent("hiba"), passphrase: "h"),
                                idris: Person(home: folder.appendingPathComponent("idris"), passphrase: "i"),
                                jamal: Person(home: folder.appendingPathComponent("jamal"), passphrase: "j"))
                for (person, name) in [(cast.hiba, "hiba"), (cast.idris, "idris"), (cast.jamal, "jamal")] {
                    try await person.ok("init", "--name", name, "--relay", relay.url)
                }
                for person in [cast.idris, cast.jamal] {
                    try await person.ok("contacts", "add", try cast.hiba.ok("invite").stdout.trimmingCharacters(in: .whitespacesAndNewlines), "--name", "hiba")
                }
                _ = try await cast.hiba.sync()
                try await cast.hiba.ok("group", "create", "Well", "--members", "idris,jamal")
                _ = try await cast.idris.sync()
                _ = try await cast.jamal.sync()
                try await body(cast)
            }
        }

        func crash(_ person: Person, at point: String, _ arguments: String...) async throws {
            let run = try await IsnadBinary.run(["--home", person.home.path] + arguments, environment: ["ISNAD_PASSPHRASE": person.passphrase, "ISNAD_CRASH_AT": point])
            #expect(run.status == 86, "the crash point \(point) was not reached: \(run)")
        }

        @Test("killed after storing, after posting, after processing: each message arrives exactly once",
              .enabled(if: IsnadBinary.url != nil, Comment(rawValue: IsnadBinary.missing)), .timeLimit(.minutes(3)))
        func crashes() async throws {
            try await withCast { cast in
                let (hiba, idris, jamal) = (cast.hiba, cast.idris, cast.jamal)
                // Stored, not posted: kept in the history and the outbox; the next command posts it.
                try await crash(hiba, at: "after-store", "send", "idris", "crash-after-store")
                #expect(try await hiba.history("idris") == ["crash-after-store"])
                #expect(try await idris.sync().isEmpty)
                _ = try await hiba.sync()
                #expect(try await idris.sync().map(\.text) == ["crash-after-store"])

                // Posted, not settled: the retry carries the same ID; the relay and the receiver see it once.
                try await crash(hiba, at: "after-post", "send", "idris", "crash-after-post")
                _ = try await hiba.sync()
                #expect(try await idris.sync().map(\.text) == ["crash-after-post"])
                #expect(try await idris.history("hiba") == ["crash-after-store", "crash-after-post"])

                // Processed, not acknowledged (and not yet shown): fetched again, recognised by its ID,
                // shown once by the next sync and never again.
                try await hiba.ok("send", "idris", "crash-after-process")
                try await crash(idris, at: "after-process", "sync")
                #expect(try await idris.sync().map(\.text) == ["crash-after-process"])
                #expect(try await idris.sync().isEmpty)
                #expect(try await idris.history("hiba") == ["crash-after-store", "crash-after-post", "crash-after-process"])

                // A file upload cut after its first 1 MiB piece resumes where the relay's copy ends.
                let file = cast.relay.data.deletingLastPathComponent().appendingPathComponent("big.bin")
                let bytes = Data((0..<2_600_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 11) })
                try bytes.write(to: file)
                try await crash(hiba, at: "during-upload", "send", "idris", "--file", file.path)
                try await hiba.ok("send", "idris", "--file", file.path)
                #expect(try await idris.sync().map(\.text) == ["big.bin"])
                let saved = file.deletingLastPathComponent().appendingPathComponent("saved")
                try FileManager.default.createDirectory(at: saved, withIntermediateDirectories: true)
                try await idris.ok("save", "hiba", "--to", saved.path)
                #expect(try Data(contentsOf: saved.appendingPathComponent("big.bin")) == bytes)

                // A commit accepted by the relay but not adopted: the next command adopts it, and the
                // message after it is at the new epoch, readable by Idris and not by the removed Jamal.
                try await crash(hiba, at: "after-post", "group", "remove", "Well", "jamal")
                try await hiba.ok("send", "Well", "after-the-removal")
                #expect(try await hiba.ok("group", "info", "Well", "--json").json()["epoch"] as? Int == 2)
                #expect(try await idris.sync().contains { $0.text == "after-the-removal" })
                #expect(try await !jamal.sync().contains { $0.text == "after-the-removal" })
            }
        }

        @Test("two members commit to the same epoch: the loser gets a 409, processes the winner, rebuilds, succeeds",
              .enabled(if: IsnadBinary.url != nil, Comment(rawValue: IsnadBinary.missing)), .timeLimit(.minutes(3)))
        func conflict() async throws {
            try await withCast { cast in
                // Hiba removes Jamal (epoch 1 -> 2); Idris, without fetching first, commits a path-only
                // update built on epoch 1, which the relay refuses with a 409.
                try await cast.hiba.ok("group", "remove", "Well", "jamal")
                let idris = try Messenger.open(home: Home(url: cast.idris.home), passphrase: cast.idris.passphrase)
                let id = try idris.store.read { try idris.group(named: "Well", $0).id }
                #expect(try idris.store.read { try idris.loadGroup(id, $0) }.epoch == 1)
                var builtOn: [UInt64] = []
                let summary = try await idris.commit(conversationID: id, receivingFirst: false) { group, _ in
                    builtOn.append(group.epoch)
                    return []
                }
                #expect(builtOn == [1, 2], "built on the stale epoch, then again on the winner's")
                #expect(summary?.epoch == 3)
                #expect(try idris.store.read { try idris.loadGroup(id, $0) }.epoch == 3)
                try await cast.idris.ok("send", "Well", "after-the-conflict")
                #expect(try await cast.hiba.sync().contains { $0.text == "after-the-conflict" })

                // Jamal is added back: a new membership of the same group, no false gap reported
                // for the messages he never saw (`ok` checks sync's status 0).
                try await cast.hiba.ok("group", "add", "Well", "jamal")
                #expect(try await cast.jamal.sync().contains { $0.conversation == "Well" && $0.text.contains("added you") })
                try await cast.idris.ok("send", "Well", "welcome-back-jamal")
                #expect(try await cast.jamal.sync().contains { $0.text == "welcome-back-jamal" })
                try await cast.jamal.ok("send", "Well", "glad-to-be-back")
                #expect(try await cast.idris.sync().contains { $0.text == "glad-to-be-back" })
                let members = try await cast.jamal.ok("group", "info", "Well", "--json").json()["members"] as? [[String: Any]]
                #expect(members?.count == 3)
            }
        }
    }
}
