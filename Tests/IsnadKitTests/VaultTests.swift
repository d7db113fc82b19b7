import Foundation
@testable import IsnadKit
import Testing

/// The store's encryption: the passphrase wraps the data key; sealed values are bound to their place.
@Suite("Vault and local store")
struct VaultTests {
    /// Cheap scrypt parameters: these tests check the wrapping, not the cost.
    static let fast = Vault.Parameters(rounds: 1 << 10, blockSize: 8, parallelism: 1)

    @Test("the right passphrase opens the vault; a wrong one is one sentence")
    func passphrase() throws {
        let (vault, wrapped) = try Vault.create(passphrase: "correct horse", parameters: Self.fast)
        let sealed = try vault.seal(Data("a body".utf8), context: "messages:1")
        let reopened = try Vault.open(wrapped, passphrase: "correct horse")
        #expect(try reopened.open(sealed, context: "messages:1") == Data("a body".utf8))
        #expect(throws: ClientError(.wrongPassphrase, "The passphrase is wrong for this home folder.")) {
            try Vault.open(wrapped, passphrase: "correct horsf")
        }
    }

    @Test("a sealed value opens only in its own place, and not after a bit flip")
    func boundToContext() throws {
        let (vault, _) = try Vault.create(passphrase: "p", parameters: Self.fast)
        var sealed = try vault.seal(Data("name".utf8), context: "contacts:A")
        #expect(throws: ClientError.self) { try vault.open(sealed, context: "contacts:B") }
        sealed[sealed.startIndex + 14] ^= 0x80
        #expect(throws: ClientError.self) { try vault.open(sealed, context: "contacts:A") }
    }

    @Test("scrypt derives the RFC 7914 §12 vector through the vault's parameters")
    func scryptVector() throws {
        // The wrapping key comes from KDF.Scrypt; check the primitive against the RFC's second vector.
        let key = try Vault.derive(passphrase: "password", salt: Data("NaCl".utf8), parameters: .init(rounds: 1024, blockSize: 8, parallelism: 16),
                                   outputByteCount: 64)
        #expect(key.map { String(format: "%02x", $0) }.joined().hasPrefix("fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"))
    }

    @Test("a store written with known names and bodies holds none of them in clear")
    func storeAtRest() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("isnad-vault-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let home = Home(url: folder)
        let store = try LocalStore.create(home: home, passphrase: "p", parameters: Self.fast)
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        try store.write { transaction in
            try transaction.put(ContactRecord(id: "c1", name: "Needle-Contact-Name", identityKey: Data(repeating: 7, count: 32), relay: "http://needle-relay.example",
                                              isVerified: false, pendingIdentityKey: nil, conversationID: nil, pendingConversationID: nil, createdAt: now),
                                table: .contacts, id: "c1")
            try transaction.put(ConversationRecord(id: "g1", name: "Needle-Group-Name", kind: .group, relay: "http://needle-relay.example", memberNames: [:],
                                                   lastSequence: [:], nextSequence: 0, isActive: true, awaitsIntroduction: false, createdAt: now),
                                table: .conversations, id: "g1")
            try transaction.insert(MessageRecord(id: "m1", conversationID: "g1", senderKey: nil, kind: .text, text: "Needle-Body-Text",
                                                 sentAt: now, receivedAt: now))
        }
        let reopened = try LocalStore.open(home: home, passphrase: "p")
        #expect(try reopened.read { try $0.messages(conversationID: "g1") }.map(\.text) == ["Needle-Body-Text"])
        var bytes = Data()
        for file in try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil) {
            bytes += try Data(contentsOf: file)
        }
        #expect(bytes.range(of: Data("SQLite format 3".utf8)) != nil, "the scan reads the database")
        for needle in ["Needle-Contact-Name", "Needle-Group-Name", "Needle-Body-Text", "needle-relay", "1700000000", "721692800"] {
            #expect(bytes.range(of: Data(needle.utf8)) == nil, "\(needle) is in clear")
        }
        #expect(throws: ClientError.self) { try LocalStore.open(home: home, passphrase: "wrong") }
    }
}
