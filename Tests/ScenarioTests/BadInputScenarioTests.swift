import Foundation
import GRDB
import Testing

extension ClientScenarios {
    /// Issue 5's bad input, through the binary: an unreadable invite, a wrong passphrase, tampered
    /// and truncated messages from the relay, a gap, a relay that is down. Each gives one sentence
    /// on stderr and a non-zero status, and what was stored before is still there.
    @Suite("Scenario: bad input through the isnad binary", .serialized)
    struct BadInputScenarioTests {
        @Test("each failure is one sentence and a non-zero status; nothing stored is lost",
              .enabled(if: IsnadBinary.url != nil, Comment(rawValue: IsnadBinary.missing)), .timeLimit(.minutes(3)))
        func badInput() async throws {
            try await RelayUnderTest.withRelay("isnad-bad-input") { folder, relay in
                let amal = Person(home: folder.appendingPathComponent("amal"), passphrase: "amal's passphrase")
                let basim = Person(home: folder.appendingPathComponent("basim"), passphrase: "basim's passphrase")
                try await amal.ok("init", "--name", "amal", "--relay", relay.url)
                try await basim.ok("init", "--name", "basim", "--relay", relay.url)
                let invite = try await amal.ok("invite").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                try await basim.ok("contacts", "add", invite, "--name", "amal")
                try await basim.ok("send", "amal", "kept-message-one")
                #expect(try await amal.sync().contains { $0.text == "kept-message-one" })

                // An unreadable invite, and one with a character changed.
                var changed = Array(invite)
                changed[changed.count - 8] = changed[changed.count - 8] == "A" ? "B" : "A"
                for text in ["isnad://invite/not-an-invite", String(changed)] {
                    let run = try await basim.run("contacts", "add", text, "--name", "someone")
                    expectOneSentence(run, containing: "invite")
                }

                // A wrong passphrase: refused; the right one still opens everything.
                expectOneSentence(try await amal.run("read", "basim", passphrase: "not the passphrase"), containing: "passphrase is wrong")
                #expect(try await amal.history("basim").contains("kept-message-one"))

                // Tampered and truncated messages from the relay: reported, discarded, nothing lost;
                // the gap they leave is reported when the next message arrives.
                try await basim.ok("send", "amal", "tampered-on-the-way")
                try await basim.ok("send", "amal", "truncated-on-the-way")
                try tamperWithMailboxes(relay)
                let tampered = try await amal.run("sync", "--json")
                #expect(tampered.status != 0 && tampered.stderr.contains("could not be"), "\(tampered)")
                #expect(!tampered.stdout.contains("on-the-way"))
                #expect(try await amal.history("basim") == ["kept-message-one"])
                try await basim.ok("send", "amal", "after-the-gap")
                let gap = try await amal.run("sync", "--json")
                #expect(gap.status != 0 && gap.stdout.contains("after-the-gap") && gap.stderr.contains("2 message(s) from basim"), "\(gap)")
                #expect(try await amal.history("basim") == ["kept-message-one", "after-the-gap"])

                // The relay is down: one sentence; the history is intact and readable offline.
                relay.stop()
                expectOneSentence(try await basim.run("send", "amal", "while-down"), containing: "cannot be reached")
                expectOneSentence(try await basim.run("sync"), containing: "cannot be reached")
                #expect(try await basim.history("amal") == ["kept-message-one", "tampered-on-the-way", "truncated-on-the-way", "after-the-gap"])
            }
        }

        func expectOneSentence(_ run: IsnadBinary.Run, containing fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
            let lines = run.stderr.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            #expect(run.status != 0 && lines.count == 1 && run.stderr.contains(fragment), "\(run)", sourceLocation: sourceLocation)
        }

        /// Flips a byte in the middle of the first waiting payload and cuts the second in half,
        /// in the relay's own database (as a hostile relay or a broken link would deliver them).
        func tamperWithMailboxes(_ relay: RelayUnderTest) throws {
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            let queue = try DatabaseQueue(path: relay.data.appendingPathComponent("relay.sqlite").path, configuration: configuration)
            try queue.write { db in
                let rows = try Row.fetchAll(db, sql: "SELECT device_id, cursor, payload FROM messages ORDER BY cursor")
                #expect(rows.count == 2, "two messages wait for amal")
                for (index, row) in rows.prefix(2).enumerated() {
                    var payload: Data = row["payload"]
                    if index == 0 {
                        payload[payload.startIndex + payload.count / 2] ^= 0x01
                    } else {
                        payload = payload.prefix(payload.count / 2)
                    }
                    try db.execute(sql: "UPDATE messages SET payload = ? WHERE device_id = ? AND cursor = ?",
                                   arguments: [payload, row["device_id"] as Data, row["cursor"] as Int64])
                }
            }
        }
    }
}
