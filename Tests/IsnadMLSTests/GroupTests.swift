@testable import IsnadMLS
import Testing

/// Whole conversations between Isnad members (RFC 9420 §11–§15), driven in memory.
struct GroupTests {
    static let now: UInt64 = 1_790_000_000

    static func bundle(_ name: String, _ suite: CipherSuite = .x25519AES128GCMSHA256Ed25519, _ generator: inout SeededGenerator) throws -> KeyPackageBundle {
        try KeyPackageBundle.make(try CipherSuiteProvider(suite), credential: .basic(identity: Array(name.utf8)), now: now, using: &generator)
    }

    /// Checks that every group agrees on epoch, tree hash, epoch authenticator and an exported secret.
    static func expectAgreement(_ groups: [Group]) {
        guard let first = groups.first else { return }
        for group in groups.dropFirst() {
            #expect(group.epoch == first.epoch)
            #expect(group.context.treeHash == first.context.treeHash)
            #expect(group.epochAuthenticator == first.epochAuthenticator)
            #expect(group.export(label: "isnad test", context: [1], length: 32) == first.export(label: "isnad test", context: [1], length: 32))
        }
    }

    @Test("create, add two by Welcome, talk, update, remove: the removed member reads nothing after", arguments: CipherSuite.supported)
    func conversation(_ suite: CipherSuite) throws {
        var g = SeededGenerator(seed: UInt64(suite.rawValue) * 101)
        let a = try Self.bundle("alice", suite, &g), b = try Self.bundle("bob", suite, &g), c = try Self.bundle("carol", suite, &g)
        var alice = try Group(creating: Array("group-1".utf8), creator: a, using: &g)

        let added = try alice.commit([.add(b.keyPackage), .add(c.keyPackage)], using: &g)
        alice = added.group
        let welcome = try #require(added.welcome)
        var bob = try Group(welcome: welcome, keyPackage: b)
        var options = CommitOptions()
        options.ratchetTreeInWelcome = false
        // Carol joins with the tree supplied separately.
        var carol = try Group(welcome: welcome, keyPackage: c, ratchetTree: added.ratchetTree)
        #expect(alice.members.count == 3)
        Self.expectAgreement([alice, bob, carol])

        // Application messages, both directions.
        let hello = try alice.encrypt(Array("hello".utf8), using: &g)
        guard case .application(let data, let sender, _, _) = try bob.process(hello) else { Issue.record("not application"); return }
        #expect(data == Array("hello".utf8))
        #expect(sender == alice.myLeaf)
        _ = try carol.process(hello)
        let reply = try bob.encrypt(Array("reply".utf8), using: &g)
        guard case .application(let replyData, _, _, _) = try alice.process(reply) else { Issue.record("not application"); return }
        #expect(replyData == Array("reply".utf8))

        // Bob commits a fresh path (PublicMessage this time).
        options.wireFormat = .publicMessage
        let bobCommit = try bob.commit(options: options, using: &g)
        bob = bobCommit.group
        _ = try alice.process(bobCommit.message)
        _ = try carol.process(bobCommit.message)
        Self.expectAgreement([alice, bob, carol])

        // Carol proposes an Update; Alice commits it by reference.
        let update = try carol.proposeUpdate(using: &g)
        _ = try alice.process(update)
        _ = try bob.process(update)
        let aliceCommit = try alice.commit(using: &g)
        alice = aliceCommit.group
        #expect(aliceCommit.summary.updated == [carol.myLeaf])
        _ = try bob.process(aliceCommit.message)
        _ = try carol.process(aliceCommit.message)
        Self.expectAgreement([alice, bob, carol])

        // Carol's phone is seized: Alice removes her.
        let carolOld = carol
        let removal = try alice.commit([.remove(carol.myLeaf)], using: &g)
        alice = removal.group
        _ = try bob.process(removal.message)
        guard case .commit(let summary) = try carol.process(removal.message) else { Issue.record("not a commit"); return }
        #expect(summary.removedMe)
        #expect(!carol.isActive)
        Self.expectAgreement([alice, bob])
        #expect(alice.epochAuthenticator != carolOld.epochAuthenticator)

        let secret = try alice.encrypt(Array("after removal".utf8), using: &g)
        guard case .application(let afterData, _, _, _) = try bob.process(secret) else { Issue.record("not application"); return }
        #expect(afterData == Array("after removal".utf8))
        // Neither Carol's state after the removal nor her state before it can read the new epoch.
        var carolCopy = carol, carolBefore = carolOld
        #expect(MLSError.has(.wrongEpoch) { _ = try carolCopy.process(secret) })
        #expect(MLSError.has(.wrongEpoch) { _ = try carolBefore.process(secret) })
        #expect(throws: MLSError.self) { _ = try carol.encrypt([1], using: &g) }
    }

    @Test("a late application message from the previous epoch still decrypts; older ones beyond the window do not")
    func lateMessages() throws {
        var g = SeededGenerator(seed: 77)
        let a = try Self.bundle("a", .x25519AES128GCMSHA256Ed25519, &g), b = try Self.bundle("b", .x25519AES128GCMSHA256Ed25519, &g)
        var alice = try Group(creating: [1, 2, 3], creator: a, configuration: GroupConfiguration(pastEpochsKept: 1), using: &g)
        let add = try alice.commit([.add(b.keyPackage)], using: &g)
        alice = add.group
        var bob = try Group(welcome: try #require(add.welcome), keyPackage: b, configuration: GroupConfiguration(pastEpochsKept: 1))
        let late = try alice.encrypt([42], using: &g)
        let next = try alice.commit(using: &g)
        alice = next.group
        _ = try bob.process(next.message)
        guard case .application(let data, _, _, let epoch) = try bob.process(late) else { Issue.record("not application"); return }
        #expect(data == [42])
        #expect(epoch == 1)
        #expect(MLSError.has(.generationConsumed) { _ = try bob.process(late) })

        let tooLate = try alice.encrypt([7], using: &g)
        for _ in 0..<2 {
            let step = try alice.commit(using: &g)
            alice = step.group
            _ = try bob.process(step.message)
        }
        #expect(MLSError.has(.wrongEpoch) { _ = try bob.process(tooLate) })
    }

    @Test("a committer refuses to add a KeyPackage outside its lifetime when it knows the time")
    func lifetime() throws {
        var g = SeededGenerator(seed: 6)
        let a = try Self.bundle("a", .x25519AES128GCMSHA256Ed25519, &g), b = try Self.bundle("b", .x25519AES128GCMSHA256Ed25519, &g)
        let alice = try Group(creating: [3], creator: a, using: &g)
        guard case .keyPackage(let lifetime) = b.keyPackage.leafNode.source else { Issue.record("no lifetime"); return }
        var options = CommitOptions()
        options.now = lifetime.notAfter + 1
        #expect(MLSError.has(.expiredLeafNode) { _ = try alice.commit([.add(b.keyPackage)], options: options, using: &g) })
        options.now = lifetime.notBefore - 1
        #expect(MLSError.has(.expiredLeafNode) { _ = try alice.commit([.add(b.keyPackage)], options: options, using: &g) })
        options.now = Self.now
        #expect(try alice.commit([.add(b.keyPackage)], options: options, using: &g).summary.added.count == 1)
        #expect(lifetime.notAfter - lifetime.notBefore <= KeyPackageBundle.maximumLifetime + 3600)
    }

    @Test("a failed step leaves the group unchanged: commits and application messages")
    func atomicity() throws {
        var g = SeededGenerator(seed: 5)
        let a = try Self.bundle("a", .x25519AES128GCMSHA256Ed25519, &g), b = try Self.bundle("b", .x25519AES128GCMSHA256Ed25519, &g)
        var alice = try Group(creating: [9], creator: a, using: &g)
        let add = try alice.commit([.add(b.keyPackage)], using: &g)
        alice = add.group
        var bob = try Group(welcome: try #require(add.welcome), keyPackage: b)
        let commit = try alice.commit(using: &g)
        guard case .privateMessage(var tampered) = commit.message else { Issue.record("expected PrivateMessage"); return }
        tampered.ciphertext[tampered.ciphertext.count - 1] ^= 1
        let before = bob.epochAuthenticator
        #expect(throws: MLSError.self) { _ = try bob.process(.privateMessage(tampered)) }
        #expect(bob.epochAuthenticator == before)
        _ = try bob.process(commit.message)
        Self.expectAgreement([commit.group, bob])

        // Application messages are processed in place; a failure after the ratchet key was
        // consumed puts the ratchet back, so the genuine message still decrypts — both for the
        // sender's first message of the epoch (ratchets derived from the tree) and later ones.
        alice = commit.group
        for text in [[UInt8]("first".utf8), Array("second".utf8)] {
            let message = try alice.encrypt(text, using: &g)
            guard case .privateMessage(var forged) = message else { Issue.record("expected PrivateMessage"); return }
            forged.ciphertext[forged.ciphertext.count - 1] ^= 1
            let saved = bob.serialized()
            #expect(MLSError.has(.decryptionFailed) { _ = try bob.process(.privateMessage(forged)) })
            #expect(bob.serialized() == saved)
            guard case .application(let data, _, _, _) = try bob.process(message) else { Issue.record("not application"); return }
            #expect(data == text)
        }
    }

    @Test("seeded random operations keep every member in agreement", arguments: [(UInt64(1), 8, 24), (UInt64(2), 20, 30), (UInt64(3), 64, 12)])
    func randomOperations(_ seed: UInt64, _ maxMembers: Int, _ steps: Int) throws {
        var g = SeededGenerator(seed: seed)
        var counter = 0
        func newBundle() throws -> KeyPackageBundle {
            counter += 1
            return try Self.bundle("member-\(counter)", .x25519AES128GCMSHA256Ed25519, &g)
        }
        var groups: [Group] = [try Group(creating: [7, UInt8(seed)], creator: try newBundle(), using: &g)]
        var removedStates: [Group] = []

        func broadcast(_ message: MLSMessage, from committer: Int) throws {
            for index in groups.indices where index != committer {
                _ = try groups[index].process(message)
            }
        }

        for _ in 0..<steps {
            let actor = Int.random(in: 0..<groups.count, using: &g)
            let choice = groups.count < 3 ? 0 : Int.random(in: 0..<4, using: &g)
            switch choice {
            case 0 where groups.count < maxMembers:
                let count = min(Int.random(in: 1...8, using: &g), maxMembers - groups.count)
                let bundles = try (0..<count).map { _ in try newBundle() }
                let pending = try groups[actor].commit(bundles.map { .add($0.keyPackage) }, using: &g)
                try broadcast(pending.message, from: actor)
                groups[actor] = pending.group
                for bundle in bundles { groups.append(try Group(welcome: try #require(pending.welcome), keyPackage: bundle)) }
            case 1:
                var victim = Int.random(in: 0..<groups.count, using: &g)
                if victim == actor { victim = (victim + 1) % groups.count }
                let pending = try groups[actor].commit([.remove(groups[victim].myLeaf)], using: &g)
                try broadcast(pending.message, from: actor)
                groups[actor] = pending.group
                removedStates.append(groups.remove(at: victim))
            case 2:
                let pending = try groups[actor].commit(using: &g)
                try broadcast(pending.message, from: actor)
                groups[actor] = pending.group
            default:
                let text = randomBytes(Int.random(in: 0...200, using: &g), using: &g)
                let message = try groups[actor].encrypt(text, using: &g)
                for index in groups.indices where index != actor {
                    guard case .application(let data, _, _, _) = try groups[index].process(message) else { Issue.record("not application"); return }
                    #expect(data == text)
                }
                // Removed members cannot read anything sent after their removal.
                for var removed in removedStates {
                    #expect(throws: MLSError.self) { _ = try removed.process(message) }
                }
            }
            Self.expectAgreement(groups)
        }
    }
}

/// Joining by external commit (RFC 9420 §12.4.3.2).
struct ExternalCommitTests {
    @Test("a newcomer joins from a published GroupInfo; members process the external commit and agree", arguments: CipherSuite.supported)
    func externalJoin(_ suite: CipherSuite) throws {
        var g = SeededGenerator(seed: 900 + UInt64(suite.rawValue))
        let a = try GroupTests.bundle("a", suite, &g), b = try GroupTests.bundle("b", suite, &g), c = try GroupTests.bundle("c", suite, &g)
        var alice = try Group(creating: [5, 5], creator: a, using: &g)
        let add = try alice.commit([.add(b.keyPackage)], using: &g)
        alice = add.group
        var bob = try Group(welcome: try #require(add.welcome), keyPackage: b)

        let info = try alice.groupInfo()
        let (carolGroup, commit) = try Group.joinByExternalCommit(groupInfo: info, leafNode: c.keyPackage.leafNode, signer: c.signer, using: &g)
        var carol = carolGroup
        guard case .commit(let summary) = try alice.process(commit) else { Issue.record("not a commit"); return }
        #expect(summary.committer == .newMemberCommit)
        _ = try bob.process(commit)
        GroupTests.expectAgreement([alice, bob, carol])

        let hello = try carol.encrypt(Array("joined".utf8), using: &g)
        guard case .application(let data, _, _, _) = try bob.process(hello) else { Issue.record("not application"); return }
        #expect(data == Array("joined".utf8))
    }

    @Test("an external commit against a tampered GroupInfo is refused by the joiner")
    func tamperedGroupInfo() throws {
        var g = SeededGenerator(seed: 901)
        let a = try GroupTests.bundle("a", .x25519AES128GCMSHA256Ed25519, &g), c = try GroupTests.bundle("c", .x25519AES128GCMSHA256Ed25519, &g)
        let alice = try Group(creating: [6], creator: a, using: &g)
        var info = try alice.groupInfo()
        info.groupContext.epoch += 1
        #expect(MLSError.has(.invalidSignature) {
            _ = try Group.joinByExternalCommit(groupInfo: info, leafNode: c.keyPackage.leafNode, signer: c.signer, using: &g)
        })
    }
}

/// The outer shape of X.509 credentials (RFC 9420 §5.3).
struct CredentialShapeTests {
    @Test("DER SEQUENCE shape: short and long lengths accepted; wrong tag, length or trailing bytes refused")
    func derShape() {
        #expect(Group.isDERSequence([0x30, 0x03, 1, 2, 3]))
        #expect(Group.isDERSequence([0x30, 0x81, 0x80] + [UInt8](repeating: 0, count: 0x80)))
        #expect(Group.isDERSequence([0x30, 0x82, 0x01, 0x00] + [UInt8](repeating: 0, count: 0x100)))
        #expect(!Group.isDERSequence([]))
        #expect(!Group.isDERSequence([0x31, 0x01, 0]))
        #expect(!Group.isDERSequence([0x30, 0x02, 0]))
        #expect(!Group.isDERSequence([0x30, 0x01, 0, 0]))
        #expect(!Group.isDERSequence([0x30, 0x81, 0x05, 1, 2, 3, 4, 5]))
        #expect(!Group.isDERSequence([0x30, 0x85, 0, 0, 0, 0, 1, 0]))
    }
}
