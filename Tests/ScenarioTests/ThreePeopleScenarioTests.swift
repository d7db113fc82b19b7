import Foundation
import GRDB
@testable import IsnadKit
import IsnadMLS
import Testing

extension ClientScenarios {
    /// Issue 5's end-to-end run: a real `isnad relay` process and three identities driven through
    /// the `isnad` binary — invites, a one-to-one exchange, a group of three, a relay restart
    /// mid-conversation, the removal of a member (who provably cannot read what follows, even with
    /// every ciphertext the relay holds), a key change — then scans of the relay's and the clients'
    /// folders for plaintexts and names.
    ///
    /// ```
    /// Zainab ─┐                       ┌─ relay process (SQLite in a temp folder)
    /// Yusuf  ─┼── isnad … (children) ─┤
    /// Warda  ─┘                       └─ scans: relay folder, home folders
    /// ```
    @Suite("Scenario: three people through the isnad binary", .serialized)
    struct ThreePeopleScenarioTests {
        static let zainabName = "Zainab-Display"
        static let yusufName = "Yusuf-Display"
        static let wardaName = "Warda-Display"
        static let group = "Olive-Grove-Committee"
        static let fileNeedle = "attachment-plaintext-inside-the-file"
        static let plaintexts = [
            "first-plaintext-one-to-one-yusuf", "reply-plaintext-one-to-one-zainab", "group-plaintext-from-yusuf",
            "group-plaintext-after-restart", "after-removal-plaintext-one", "after-removal-plaintext-two", "new-key-plaintext-for-warda",
        ]

        @Test("invites, 1:1, a group of three, restart, removal, key change; nothing readable at rest",
              .enabled(if: IsnadBinary.url != nil, Comment(rawValue: IsnadBinary.missing)), .timeLimit(.minutes(5)))
        func threePeople() async throws {
            try await RelayUnderTest.withRelay("isnad-scenario") { folder, relay in

                let zainab = Person(home: folder.appendingPathComponent("zainab"), passphrase: "zainab passphrase 1")
                let yusuf = Person(home: folder.appendingPathComponent("yusuf"), passphrase: "yusuf passphrase 2")
                let warda = Person(home: folder.appendingPathComponent("warda"), passphrase: "warda passphrase 3")
                try await zainab.ok("init", "--name", Self.zainabName, "--relay", relay.url)
                try await yusuf.ok("init", "--name", Self.yusufName, "--relay", relay.url)
                try await warda.ok("init", "--name", Self.wardaName, "--relay", relay.url)

                // Invites: Zainab hands one to each; they add her while she is offline.
                let invite = try await zainab.ok("invite").stdout
                #expect(invite.hasPrefix("isnad://invite/") && invite.split(separator: "\n").count == 1, "invite prints only the invite: \(invite)")
                try await yusuf.ok("contacts", "add", invite.trimmingCharacters(in: .whitespacesAndNewlines), "--name", "zainab")
                try await warda.ok("contacts", "add", try zainab.ok("invite").stdout.trimmingCharacters(in: .whitespacesAndNewlines), "--name", "zainab")
                let accepted = try await zainab.sync()
                #expect(Set(accepted.map(\.conversation)) == [Self.yusufName, Self.wardaName], "\(accepted)")

                // One-to-one.
                try await yusuf.ok("send", "zainab", Self.plaintexts[0])
                let first = try await zainab.sync()
                #expect(first.contains { $0.from == Self.yusufName && $0.text == Self.plaintexts[0] }, "\(first)")
                try await zainab.ok("send", Self.yusufName, Self.plaintexts[1])
                #expect(try await yusuf.sync().contains { $0.from == "zainab" && $0.text == Self.plaintexts[1] })
                #expect(try await yusuf.history("zainab") == [Self.plaintexts[0], Self.plaintexts[1]])

                // A file: encrypted, uploaded, announced inside MLS, downloaded and checked, saved.
                let file = folder.appendingPathComponent("report.txt")
                let fileBytes = Data((Self.fileNeedle + "\n").utf8) + Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7919) })
                try fileBytes.write(to: file)
                try await yusuf.ok("send", "zainab", "--file", file.path)
                let arrived = try await zainab.ok("sync", "--json").json()["messages"] as? [[String: Any]]
                let announced = arrived?.first { ($0["file"] as? [String: Any])?["name"] as? String == "report.txt" }?["file"] as? [String: Any]
                #expect(announced?["downloaded"] as? Bool == true && announced?["size"] as? Int == fileBytes.count, "\(String(describing: arrived))")
                let saved = folder.appendingPathComponent("saved")
                try FileManager.default.createDirectory(at: saved, withIntermediateDirectories: true)
                try await zainab.ok("save", Self.yusufName, "--to", saved.path)
                #expect(try Data(contentsOf: saved.appendingPathComponent("report.txt")) == fileBytes)

                // Safety numbers: the same digits on both sides.
                let zainabSees = try await zainab.ok("contacts", "verify", Self.yusufName, "--json").json()["safety_number"] as? String
                let yusufSees = try await yusuf.ok("contacts", "verify", "zainab", "--json", "--confirm").json()["safety_number"] as? String
                #expect(zainabSees != nil && zainabSees?.count == 60 && zainabSees == yusufSees)

                // A group of three.
                try await zainab.ok("group", "create", Self.group, "--members", "\(Self.yusufName),\(Self.wardaName)")
                #expect(try await yusuf.sync().contains { $0.conversation == Self.group })
                #expect(try await warda.sync().contains { $0.conversation == Self.group })
                try await yusuf.ok("send", Self.group, Self.plaintexts[2])
                #expect(try await warda.sync().contains { $0.text == Self.plaintexts[2] })
                let info = try await zainab.ok("group", "info", Self.group, "--json").json()
                #expect((info["members"] as? [[String: Any]])?.count == 3 && info["epoch"] as? Int == 1, "\(info)")

                // The relay restarts mid-conversation.
                relay.stop()
                try await relay.start()
                try await zainab.ok("send", Self.group, Self.plaintexts[3])
                #expect(try await yusuf.sync().contains { $0.text == Self.plaintexts[3] })
                #expect(try await warda.sync().contains { $0.text == Self.plaintexts[3] })

                // Removal: Warda's phone is seized (a copy of her home as it was), then she is removed.
                let seized = folder.appendingPathComponent("warda-seized")
                let control = folder.appendingPathComponent("yusuf-before")
                try FileManager.default.copyItem(at: warda.home, to: seized)
                try FileManager.default.copyItem(at: yusuf.home, to: control)
                try await zainab.ok("group", "remove", Self.group, Self.wardaName)
                try await zainab.ok("send", Self.group, Self.plaintexts[4])
                try await zainab.ok("send", Self.group, Self.plaintexts[5])
                let stored = try relayPayloads(relay)
                let seizedReads = try readable(stored, home: seized, passphrase: warda.passphrase)
                let controlReads = try readable(stored, home: control, passphrase: yusuf.passphrase)
                // The control shows the ciphertexts are there and readable by a member...
                #expect(controlReads.contains { $0.contains(Self.plaintexts[4]) } && controlReads.contains { $0.contains(Self.plaintexts[5]) }, "\(controlReads)")
                // ...and the removed device reads none of them.
                #expect(!seizedReads.contains { $0.contains(Self.plaintexts[4]) || $0.contains(Self.plaintexts[5]) }, "\(seizedReads)")
                #expect(try await yusuf.sync().filter { $0.text == Self.plaintexts[4] || $0.text == Self.plaintexts[5] }.count == 2)
                let removed = try await warda.sync()
                #expect(removed.contains { $0.text.contains("removed") } && !removed.contains { $0.text.contains("after-removal") }, "\(removed)")
                let refused = try await warda.run("send", Self.group, "should not go")
                #expect(refused.status != 0 && refused.stderr.contains("no longer a member"), "\(refused)")

                // Key change: Warda starts over with a new identity and uses a new invite of Zainab's.
                let newWarda = Person(home: folder.appendingPathComponent("warda-new"), passphrase: "warda new passphrase")
                try await newWarda.ok("init", "--name", Self.wardaName, "--relay", relay.url)
                try await newWarda.ok("contacts", "add", try zainab.ok("invite").stdout.trimmingCharacters(in: .whitespacesAndNewlines), "--name", "zainab")
                let warning = try await zainab.ok("sync")
                #expect(warning.stdout.contains("WARNING") && warning.stdout.contains("identity key has changed"), "\(warning)")
                let blocked = try await zainab.run("send", Self.wardaName, "blocked until confirmed")
                #expect(blocked.status != 0 && blocked.stderr.contains("identity key has changed"), "\(blocked)")
                let listed = try await zainab.ok("contacts", "list", "--json").json()["contacts"] as? [[String: Any]]
                #expect(listed?.first { $0["name"] as? String == Self.wardaName }?["identity_changed"] as? Bool == true)
                try await zainab.ok("contacts", "verify", Self.wardaName, "--confirm")
                try await zainab.ok("send", Self.wardaName, Self.plaintexts[6])
                #expect(try await newWarda.sync().contains { $0.text == Self.plaintexts[6] })

                // Nothing readable at rest: not on the relay, not in any home folder.
                relay.stop()
                let names = [Self.zainabName, Self.yusufName, Self.wardaName, Self.group]
                // The scan reads the stores: it finds what is there in clear (SQLite's own header).
                #expect(try FolderScan.find(["SQLite format 3"], under: relay.data).count >= 1)
                #expect(try FolderScan.find(["SQLite format 3"], under: zainab.home).count >= 1)
                #expect(try FolderScan.find(Self.plaintexts + names + [Self.fileNeedle, "report.txt"], under: relay.data) == [])
                for person in [zainab, yusuf, warda, newWarda] {
                    #expect(try FolderScan.find(Self.plaintexts + names + [person.passphrase, "zainab", Self.fileNeedle, "report.txt"], under: person.home) == [],
                            "\(person.home.lastPathComponent)")
                }
            }
        }

        /// Every payload in the relay's mailboxes, oldest first, each once.
        func relayPayloads(_ relay: RelayUnderTest) throws -> [Data] {
            var configuration = Configuration()
            configuration.readonly = true
            let queue = try DatabaseQueue(path: relay.data.appendingPathComponent("relay.sqlite").path, configuration: configuration)
            let payloads = try queue.read { db in try Data.fetchAll(db, sql: "SELECT payload FROM messages ORDER BY received_at, cursor") }
            var seen = Set<Data>()
            return payloads.filter { seen.insert($0).inserted }
        }

        /// The application texts a home folder's MLS state can read out of `payloads`, group by group.
        func readable(_ payloads: [Data], home: URL, passphrase: String) throws -> [String] {
            let messenger = try Messenger.open(home: Home(url: home), passphrase: passphrase)
            let ids = try messenger.store.read { try $0.all(ConversationRecord.self, table: .conversations).map(\.id) }
            var texts: [String] = []
            for id in ids {
                var group = try messenger.store.read { try messenger.loadGroup(id, $0) }
                for payload in payloads {
                    guard let message = try? MLSMessage(decoding: Array(payload)) else { continue }
                    if case .application(let data, _, _, _) = try? group.process(message) {
                        texts.append(String(decoding: data, as: UTF8.self))
                    }
                }
            }
            return texts
        }
    }
}
