import Foundation
import Testing

extension ClientScenarios {
    /// Two people on different relays: adding an invite from the other relay registers this
    /// device there too; `sync` reads both mailboxes.
    @Suite("Scenario: two relays")
    struct TwoRelaysScenarioTests {
        @Test("an invite from another relay adds that relay; messages flow both ways",
              .enabled(if: IsnadBinary.url != nil, Comment(rawValue: IsnadBinary.missing)), .timeLimit(.minutes(3)))
        func twoRelays() async throws {
            try await RelayUnderTest.withRelay("isnad-two-relays") { folder, first in
                let second = try RelayUnderTest(folder: folder, name: "second-relay")
                try await second.start()
                defer { second.stop() }
                let amal = Person(home: folder.appendingPathComponent("amal"), passphrase: "a")
                let basim = Person(home: folder.appendingPathComponent("basim"), passphrase: "b")
                try await amal.ok("init", "--name", "amal", "--relay", first.url)
                try await basim.ok("init", "--name", "basim", "--relay", second.url)
                try await basim.ok("contacts", "add", try amal.ok("invite").stdout.trimmingCharacters(in: .whitespacesAndNewlines), "--name", "amal")
                let relays = try await basim.ok("relays", "list", "--json").json()["relays"] as? [String]
                #expect(relays == [second.url, first.url])
                try await basim.ok("send", "amal", "across-relays")
                #expect(try await amal.sync().contains { $0.text == "across-relays" })
                try await amal.ok("send", "basim", "and-back")
                #expect(try await basim.sync().map(\.text) == ["and-back"])
            }
        }
    }
}
