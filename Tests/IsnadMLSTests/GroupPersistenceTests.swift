import Foundation
import IsnadMLS
import Testing

/// The stored form of a member's state (docs/mls.md, "Stored state").
struct GroupPersistenceTests {
    @Test("a state saved mid-conversation loads and carries on: messages, commits, late messages")
    func roundTrip() throws {
        var g = SeededGenerator(seed: 31)
        let a = try GroupTests.bundle("a", .x25519AES128GCMSHA256Ed25519, &g)
        let b = try GroupTests.bundle("b", .x25519AES128GCMSHA256Ed25519, &g)
        var alice = try Group(creating: [4, 4], creator: a, using: &g)
        let add = try alice.commit([.add(b.keyPackage)], using: &g)
        alice = add.group
        var bob = try Group(welcome: try #require(add.welcome), keyPackage: b)
        _ = try bob.process(try alice.encrypt([1], using: &g))
        let late = try alice.encrypt([2], using: &g)
        let update = try bob.proposeUpdate(using: &g)
        _ = try alice.process(update)

        // Save and load both; the copies continue the conversation as the originals would.
        var aliceLoaded = try Group(serialized: alice.serialized())
        var bobLoaded = try Group(serialized: bob.serialized())
        #expect(aliceLoaded.serialized() == alice.serialized())
        let commit = try aliceLoaded.commit(using: &g)
        aliceLoaded = commit.group
        _ = try bobLoaded.process(commit.message)
        GroupTests.expectAgreement([aliceLoaded, bobLoaded])
        guard case .application(let data, _, _, _) = try bobLoaded.process(late) else { Issue.record("not application"); return }
        #expect(data == [2])
    }

    @Test("unknown versions and truncated states are typed errors")
    func badState() throws {
        var g = SeededGenerator(seed: 32)
        let a = try GroupTests.bundle("a", .x25519AES128GCMSHA256Ed25519, &g)
        let group = try Group(creating: [1], creator: a, using: &g)
        var bytes: [UInt8] = []
        group.serialized().withUnsafeBytes { bytes = Array($0) }
        var wrongVersion = bytes
        wrongVersion[1] = 99
        #expect(MLSError.has(.unsupportedVersion) { _ = try Group(serialized: SecretBytes(wrongVersion)) })
        for cut in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 50)) {
            #expect(throws: MLSError.self) { _ = try Group(serialized: SecretBytes(Array(bytes.prefix(cut)))) }
        }
    }

    /// A state written by format version 1 and a message sent to it afterwards (fixture made
    /// by a version-1 build, commit 89c00ec, with seed 1: Alice creates group [1] and adds Bob;
    /// the state is Bob's, the message Alice's): old stored bytes must keep loading and working
    /// as the format evolves. Builds since write version 2, so the fixture is never rewritten.
    @Test("a version-1 state stored earlier still loads, migrates to version 2, and decrypts what was sent to it")
    func storedVersion1() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
        let stateURL = folder.appendingPathComponent("group-state-v1.bin"), messageURL = folder.appendingPathComponent("group-state-v1-message.bin")
        let plaintext = Array("stored before the format changed".utf8)
        let bob = try Group(serialized: SecretBytes(Array(try Data(contentsOf: stateURL))))
        // Migration: saved again, the state takes the current format and still works.
        let migrated = try Group(serialized: bob.serialized())
        #expect(bob.serialized().withUnsafeBytes { Array($0.prefix(2)) } == [0, UInt8(Group.stateFormatVersion)])
        #expect(Group.stateFormatVersion == 2)
        #expect(migrated.reInit == nil)
        for var state in [bob, migrated] {
            guard case .application(let data, _, _, _) = try state.process(try MLSMessage(decoding: Array(try Data(contentsOf: messageURL)))) else {
                Issue.record("not application")
                return
            }
            #expect(data == plaintext)
        }
    }
}
