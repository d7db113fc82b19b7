@testable import IsnadMLS
import Testing

/// Reinitialization (RFC 9420 §11.2, §12.1.5) and subgroup branching (§11.3).
struct ResumptionTests {
    static let suite = CipherSuite.x25519AES128GCMSHA256Ed25519

    /// A group of `names` created by the first, everyone joined and in agreement.
    static func group(_ names: [String], id: [UInt8], _ g: inout SeededGenerator) throws -> [Group] {
        let bundles = try names.map { try GroupTests.bundle($0, suite, &g) }
        let creator = try Group(creating: id, creator: bundles[0], using: &g)
        let add = try creator.commit(bundles.dropFirst().map { .add($0.keyPackage) }, using: &g)
        let welcome = try #require(add.welcome)
        let groups = try [add.group] + bundles.dropFirst().map { try Group(welcome: welcome, keyPackage: $0) }
        GroupTests.expectAgreement(groups)
        return groups
    }

    /// Sends `message` from `groups[sender]` to every other member and checks they read it.
    static func expectConversation(_ groups: inout [Group], from sender: Int, _ g: inout SeededGenerator) throws {
        let text = Array("after resumption".utf8)
        let message = try groups[sender].encrypt(text, using: &g)
        for index in groups.indices where index != sender {
            guard case .application(let data, _, _, _) = try groups[index].process(message) else { Issue.record("not application"); return }
            #expect(data == text)
        }
    }

    static let reInit = ReInit(groupID: Array("group-2".utf8), cipherSuite: .x25519ChaCha20Poly1305SHA256Ed25519,
                               extensions: [Extension(type: .applicationID, data: Array("isnad".utf8))])

    /// Alice, Bob and Carol; Bob proposes a ReInit, Alice commits it, everyone processes it.
    static func reinitialized(_ g: inout SeededGenerator) throws -> (closed: [Group], late: MLSMessage) {
        var groups = try group(["alice", "bob", "carol"], id: Array("group-1".utf8), &g)
        let late = try groups[0].encrypt([7], using: &g)
        let proposal = try groups[1].propose(reInit.proposal, using: &g)
        _ = try groups[0].process(proposal)
        _ = try groups[2].process(proposal)
        let commit = try groups[0].commit(using: &g)
        groups[0] = commit.group
        _ = try groups[1].process(commit.message)
        _ = try groups[2].process(commit.message)
        GroupTests.expectAgreement(groups)
        return (groups, late)
    }

    @Test("ReInit: the old group closes; another member recreates the group with a new ID, suite and extensions; all rejoin")
    func reinitialize() throws {
        var g = SeededGenerator(seed: 1101)
        var (closed, late) = try Self.reinitialized(&g)
        for index in closed.indices { #expect(closed[index].reInit == Self.reInit) }

        // The old group sends nothing more and accepts nothing of its last epoch ...
        #expect(MLSError.has(.reinitialized) { _ = try closed[0].encrypt([1], using: &g) })
        #expect(MLSError.has(.reinitialized) { _ = try closed[1].commit(using: &g) })
        #expect(MLSError.has(.reinitialized) { _ = try closed[2].proposeUpdate(using: &g) })
        var reopened = closed[0]
        reopened.reInit = nil
        let afterReInit = try reopened.encrypt([2], using: &g)
        #expect(MLSError.has(.reinitialized) { _ = try closed[1].process(afterReInit) })
        // ... but a late message sent before the ReInit commit still reads.
        guard case .application(let data, _, _, _) = try closed[1].process(late) else { Issue.record("not application"); return }
        #expect(data == [7])

        // Carol (not the committer) creates the new group with fresh KeyPackages in the new suite.
        let newSuite = Self.reInit.cipherSuite
        let a = try GroupTests.bundle("alice", newSuite, &g), b = try GroupTests.bundle("bob", newSuite, &g)
        let c = try GroupTests.bundle("carol", newSuite, &g)
        let start = try closed[2].reinitialize(creator: c, members: [a.keyPackage, b.keyPackage], using: &g)
        let welcome = try #require(start.welcome)
        // A joiner without the old group does not hold the reinit PSK.
        #expect(MLSError.has(.invalidValue) { _ = try Group(welcome: welcome, keyPackage: a) })
        var groups = [try Group(welcome: welcome, keyPackage: a, resuming: closed[0]),
                      try Group(welcome: welcome, keyPackage: b, resuming: closed[1]), start.group]
        GroupTests.expectAgreement(groups)
        #expect(groups[0].epoch == 1)
        #expect(groups[0].groupID == Self.reInit.groupID)
        #expect(groups[0].context.cipherSuite == newSuite)
        #expect(groups[0].context.extensions == Self.reInit.extensions)
        #expect(groups[0].reInit == nil)
        try Self.expectConversation(&groups, from: 1, &g)
        let next = try groups[0].commit(using: &g)
        groups[0] = next.group
        _ = try groups[1].process(next.message)
        _ = try groups[2].process(next.message)
        GroupTests.expectAgreement(groups)
    }

    @Test("ReInit: the creator must bring every member; a joiner refuses a new group that does not match the ReInit or lacks a member")
    func reinitializeRefusals() throws {
        var g = SeededGenerator(seed: 1102)
        let (closed, _) = try Self.reinitialized(&g)
        let newSuite = Self.reInit.cipherSuite
        let a = try GroupTests.bundle("alice", newSuite, &g), b = try GroupTests.bundle("bob", newSuite, &g)
        let c = try GroupTests.bundle("carol", newSuite, &g), mallory = try GroupTests.bundle("mallory", newSuite, &g)

        // Creator side: missing or foreign members are the caller's mistake.
        #expect(MLSError.has(.invalidValue) { _ = try closed[2].reinitialize(creator: c, members: [a.keyPackage], using: &g) })
        #expect(MLSError.has(.invalidValue) {
            _ = try closed[2].reinitialize(creator: c, members: [a.keyPackage, mallory.keyPackage], using: &g)
        })
        // A group without a committed ReInit has nothing to reinitialize.
        var open = try Self.group(["alice", "bob"], id: [9], &g)
        #expect(MLSError.has(.invalidValue) { _ = try open[0].reinitialize(creator: a, members: [b.keyPackage], using: &g) })

        // Joiner side, with Welcomes a careless or hostile creator could send.
        func start(_ old: Group, members: [KeyPackage], groupID: [UInt8] = Self.reInit.groupID,
                   extensions: [Extension] = Self.reInit.extensions) throws -> Welcome {
            try #require(try old.startResumedGroup(usage: .reinit, groupID: groupID, version: .mls10, cipherSuite: newSuite, extensions: extensions,
                                                  creator: c, members: members, options: CommitOptions(), configuration: .default, using: &g).welcome)
        }
        let missingBob = try start(closed[2], members: [a.keyPackage])
        #expect(MLSError.has(.invalidResumption) { _ = try Group(welcome: missingBob, keyPackage: a, resuming: closed[0]) })
        let otherID = try start(closed[2], members: [a.keyPackage, b.keyPackage], groupID: [1, 2, 3])
        #expect(MLSError.has(.invalidResumption) { _ = try Group(welcome: otherID, keyPackage: a, resuming: closed[0]) })
        let otherExtensions = try start(closed[2], members: [a.keyPackage, b.keyPackage], extensions: [])
        #expect(MLSError.has(.invalidResumption) { _ = try Group(welcome: otherExtensions, keyPackage: a, resuming: closed[0]) })
        // A reinit PSK from a group whose last commit had no ReInit.
        let bobAgain = try GroupTests.bundle("bob", Self.suite, &g)
        let noReInitWelcome = try #require(try open[0].startResumedGroup(
            usage: .reinit, groupID: [8], version: .mls10, cipherSuite: Self.suite, extensions: [], creator: try GroupTests.bundle("alice", Self.suite, &g),
            members: [bobAgain.keyPackage], options: CommitOptions(), configuration: .default, using: &g).welcome)
        #expect(MLSError.has(.invalidResumption) { _ = try Group(welcome: noReInitWelcome, keyPackage: bobAgain, resuming: open[1]) })

        // A reinit or branch PSK in an ordinary commit is invalid (§12.1.4).
        for usage in [ResumptionPSKUsage.reinit, .branch] {
            let id = PreSharedKeyID(kind: .resumption(usage: usage, groupID: [9], epoch: open[0].epoch), nonce: [UInt8](repeating: 1, count: 32))
            #expect(MLSError.has(.invalidValue) { _ = try open[0].commit([.preSharedKey(id)], using: &g) })
        }
        // A ReInit together with another proposal is invalid (§12.2).
        #expect(MLSError.has(.invalidValue) { _ = try open[0].commit([Self.reInit.proposal, .remove(open[1].myLeaf)], using: &g) })
        // A ReInit to an older protocol version is invalid (§12.1.5).
        let downgrade = ReInit(groupID: [1], version: ProtocolVersion(rawValue: 0), cipherSuite: Self.suite)
        #expect(MLSError.has(.invalidValue) { _ = try open[0].commit([downgrade.proposal], using: &g) })
        // An application-usage resumption PSK still works in an ordinary commit.
        let resume = PreSharedKeyID(kind: .resumption(usage: .application, groupID: [9], epoch: open[0].epoch), nonce: [UInt8](repeating: 2, count: 32))
        let commit = try open[0].commit([.preSharedKey(resume)], using: &g)
        _ = try open[1].process(commit.message)
        open[0] = commit.group
        GroupTests.expectAgreement(open)
    }

    @Test("branching: a subgroup of some members with a new ID; the old group carries on; foreigners and other suites are refused")
    func branch() throws {
        var g = SeededGenerator(seed: 1103)
        var old = try Self.group(["alice", "bob", "carol", "dave"], id: Array("team".utf8), &g)
        let b = try GroupTests.bundle("bob", Self.suite, &g), c = try GroupTests.bundle("carol", Self.suite, &g)
        let a = try GroupTests.bundle("alice", Self.suite, &g)
        let start = try old[0].branch(groupID: Array("team-subgroup".utf8), creator: a, members: [b.keyPackage, c.keyPackage], using: &g)
        let welcome = try #require(start.welcome)
        var sub = [start.group, try Group(welcome: welcome, keyPackage: b, resuming: old[1]),
                   try Group(welcome: welcome, keyPackage: c, resuming: old[2])]
        GroupTests.expectAgreement(sub)
        #expect(sub[1].epoch == 1 && sub[1].members.count == 3)
        try Self.expectConversation(&sub, from: 2, &g)
        // The old group is untouched and carries on.
        try Self.expectConversation(&old, from: 3, &g)

        // A member who is not in the old group, on either side.
        let mallory = try GroupTests.bundle("mallory", Self.suite, &g)
        #expect(MLSError.has(.invalidValue) { _ = try old[0].branch(groupID: [5], creator: a, members: [mallory.keyPackage], using: &g) })
        let b2 = try GroupTests.bundle("bob", Self.suite, &g)
        let withMallory = try #require(try old[0].startResumedGroup(
            usage: .branch, groupID: [5], version: .mls10, cipherSuite: Self.suite, extensions: [], creator: a,
            members: [b2.keyPackage, mallory.keyPackage], options: CommitOptions(), configuration: .default, using: &g).welcome)
        #expect(MLSError.has(.invalidResumption) { _ = try Group(welcome: withMallory, keyPackage: b2, resuming: old[1]) })
        // Another cipher suite.
        let otherSuite = CipherSuite.x25519ChaCha20Poly1305SHA256Ed25519
        let a3 = try GroupTests.bundle("alice", otherSuite, &g), b3 = try GroupTests.bundle("bob", otherSuite, &g)
        let otherSuiteWelcome = try #require(try old[0].startResumedGroup(
            usage: .branch, groupID: [6], version: .mls10, cipherSuite: otherSuite, extensions: [], creator: a3,
            members: [b3.keyPackage], options: CommitOptions(), configuration: .default, using: &g).welcome)
        #expect(MLSError.has(.invalidResumption) { _ = try Group(welcome: otherSuiteWelcome, keyPackage: b3, resuming: old[1]) })
        // The subgroup's own ID is required.
        #expect(MLSError.has(.invalidValue) { _ = try old[0].branch(groupID: old[0].groupID, creator: a, members: [b.keyPackage], using: &g) })
    }

    @Test("a closed group keeps its ReInit across storage and can still start the new group")
    func storage() throws {
        var g = SeededGenerator(seed: 1104)
        let (closed, _) = try Self.reinitialized(&g)
        var loaded = try Group(serialized: closed[1].serialized())
        #expect(loaded.reInit == Self.reInit)
        #expect(MLSError.has(.reinitialized) { _ = try loaded.encrypt([1], using: &g) })
        let b = try GroupTests.bundle("bob", Self.reInit.cipherSuite, &g)
        let c = try GroupTests.bundle("carol", Self.reInit.cipherSuite, &g), a = try GroupTests.bundle("alice", Self.reInit.cipherSuite, &g)
        let start = try loaded.reinitialize(creator: b, members: [a.keyPackage, c.keyPackage], using: &g)
        _ = try Group(welcome: try #require(start.welcome), keyPackage: a, resuming: closed[0])
    }
}
