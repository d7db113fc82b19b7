import Foundation
import GRDB
import Testing

extension ClientScenarios {
    /// Fallback routes, through the binary with two real relays: two people registered on both;
    /// the conversation's relay is stopped and a message still arrives by the other; started
    /// again, a copy sent by both routes at once is shown once; a message overtaken by a later
    /// one on the other route is shown when it arrives.
    @Suite("Scenario: a fallback relay")
    struct FallbackRelayScenarioTests {
        @Test("with the conversation's relay down a message goes by the other relay; a copy by both routes shows once",
              .enabled(if: IsnadBinary.url != nil, Comment(rawValue: IsnadBinary.missing)), .timeLimit(.minutes(4)))
        func fallback() async throws {
            try await RelayUnderTest.withRelay("isnad-fallback") { folder, primary in
                let second = try RelayUnderTest(folder: folder, name: "second-relay")
                try await second.start()
                defer { second.stop() }
                let amal = Person(home: folder.appendingPathComponent("amal"), passphrase: "a")
                let basim = Person(home: folder.appendingPathComponent("basim"), passphrase: "b")
                try await amal.ok("init", "--name", "amal", "--relay", primary.url)
                try await basim.ok("init", "--name", "basim", "--relay", primary.url)
                try await basim.ok("contacts", "add", try amal.ok("invite").stdout.trimmingCharacters(in: .whitespacesAndNewlines), "--name", "amal")
                try await amal.ok("sync")
                try await amal.ok("relays", "add", second.url)
                try await basim.ok("relays", "add", second.url)

                // Basim has not yet told Amal his other relay: with the primary down there is no
                // route. One sentence, a non-zero status; the message is kept and queued.
                primary.stop()
                let stuck = try await amal.run("send", "basim", "queued-while-down")
                let lines = stuck.stderr.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
                #expect(stuck.status != 0 && lines.count == 1 && stuck.stderr.contains("is kept"), "\(stuck)")
                #expect(try await amal.history("basim") == ["queued-while-down"])
                try await primary.start()
                try await amal.ok("sync")
                #expect(try await basim.sync().map(\.text) == ["queued-while-down"])

                // Each has now sent something, so each knows the other's routes (inside MLS).
                try await basim.ok("send", "amal", "routes-known")
                #expect(try await amal.sync().map(\.text) == ["routes-known"])

                // The conversation's relay is down: the message goes by the second relay.
                primary.stop()
                let fallback = try await amal.ok("send", "basim", "via-fallback")
                #expect(fallback.stderr.contains("went by the members' other relays"), "\(fallback)")
                #expect(try await basim.sync().map(\.text) == ["via-fallback"])

                // Started again: one message by both routes at once.
                try await primary.start()
                try await amal.ok("send", "basim", "by-both-routes", "--all-routes")
                primary.stop()
                // The primary's copy waits there, unread (the only message in its mailboxes)…
                #expect(try waitingMessages(primary) == 1)
                // …while the second relay's copy arrives.
                #expect(try await basim.sync().map(\.text) == ["by-both-routes"])
                try await primary.start()
                // The primary's copy is recognised by its ID: acknowledged, not shown again.
                #expect(try await basim.sync().map(\.text) == [])
                #expect(try waitingMessages(primary) == 0)
                #expect(try await basim.history("amal") == ["queued-while-down", "routes-known", "via-fallback", "by-both-routes"])
                try await basim.ok("send", "amal", "still-talking")
                #expect(try await amal.sync().map(\.text) == ["still-talking"])

                // A message waiting on the stopped relay is overtaken by a later one sent by the
                // other route: reported missing, then shown when it arrives (not taken for a replay).
                try await amal.ok("send", "basim", "waits-on-primary")
                primary.stop()
                try await amal.ok("send", "basim", "overtakes-it")
                let gap = try await basim.run("sync", "--json")
                #expect(gap.status != 0 && gap.stdout.contains("overtakes-it") && gap.stderr.contains("1 message(s) from amal"), "\(gap)")
                try await primary.start()
                let late = try await basim.run("sync", "--json")
                #expect(late.status == 0 && late.stdout.contains("waits-on-primary") && !late.stderr.contains("repeats"), "\(late)")
            }
        }

        /// The messages waiting in a relay's mailboxes, read from its database (stopped or running).
        func waitingMessages(_ relay: RelayUnderTest) throws -> Int {
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            let queue = try DatabaseQueue(path: relay.data.appendingPathComponent("relay.sqlite").path, configuration: configuration)
            return try queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM messages") ?? -1 }
        }
    }
}
