@testable import IsnadMLS
import Testing

/// Leaf-node checks of RFC 9420 §7.3 on receipt: lifetimes when the caller gives the time, and
/// what every member must support (§7.3, §11.1, §12.1.7, §13.4).
struct LeafValidationTests {
    static let suite = CipherSuite.x25519AES128GCMSHA256Ed25519
    static let privateExtension = ExtensionType(rawValue: 0xff00)
    static let privateProposal = ProposalType(rawValue: 0xff01)
    /// An x509 chain of the right outer shape (one empty DER SEQUENCE); never parsed.
    static let x509 = Credential.x509(certificates: [[0x30, 0x00]])

    static func bundle(_ name: String, credential: Credential? = nil, extensions: [ExtensionType] = [], proposals: [ProposalType] = [],
                       credentials: [CredentialType] = [.basic], _ g: inout SeededGenerator) throws -> KeyPackageBundle {
        try KeyPackageBundle.make(try CipherSuiteProvider(suite), credential: credential ?? .basic(identity: Array(name.utf8)), now: GroupTests.now,
                                  capabilities: Capabilities(cipherSuites: [suite], extensions: extensions, proposals: proposals, credentials: credentials),
                                  using: &g)
    }

    static func requiredCapabilities(extensions: [ExtensionType] = [], proposals: [ProposalType] = [], credentials: [CredentialType] = []) -> Extension {
        var e = TLSEncoder()
        e.writeVector(extensions)
        e.writeVector(proposals)
        e.writeVector(credentials)
        return Extension(type: .requiredCapabilities, data: e.bytes)
    }

    /// Alice and Bob in a group; returns both states.
    static func pair(_ a: KeyPackageBundle, _ b: KeyPackageBundle, extensions: [Extension] = [], _ g: inout SeededGenerator) throws -> (Group, Group) {
        let alice = try Group(creating: [0x1e, 0xaf], creator: a, extensions: extensions, using: &g)
        let add = try alice.commit([.add(b.keyPackage)], using: &g)
        return (add.group, try Group(welcome: try #require(add.welcome), keyPackage: b))
    }

    @Test("given the time, a receiver refuses KeyPackage leaves outside their lifetime: in Add proposals, in commits, in a joined tree")
    func lifetimeOnReceipt() throws {
        var g = SeededGenerator(seed: 1201)
        let a = try GroupTests.bundle("a", Self.suite, &g), b = try GroupTests.bundle("b", Self.suite, &g)
        let c = try GroupTests.bundle("c", Self.suite, &g), d = try GroupTests.bundle("d", Self.suite, &g)
        var (alice, bob) = try Self.pair(a, b, &g)
        guard case .keyPackage(let lifetime) = c.keyPackage.leafNode.source else { Issue.record("no lifetime"); return }
        let expired = lifetime.notAfter + 1, early = lifetime.notBefore - 1

        // An Add proposal.
        let proposal = try bob.propose(.add(c.keyPackage), using: &g)
        for time in [expired, early] {
            var copy = alice
            #expect(MLSError.has(.expiredLeafNode) { _ = try copy.process(proposal, now: time) })
        }
        _ = try alice.process(proposal, now: GroupTests.now)

        // A commit adding a KeyPackage: refused late, accepted in time or without a clock.
        let commit = try alice.commit(using: &g)
        var late = bob
        #expect(MLSError.has(.expiredLeafNode) { _ = try late.process(commit.message, now: expired) })
        var withoutClock = bob
        _ = try withoutClock.process(commit.message)
        _ = try bob.process(commit.message, now: GroupTests.now)
        alice = commit.group
        GroupTests.expectAgreement([alice, bob, withoutClock])

        // A Welcome whose tree holds a leaf from a KeyPackage (Carol's: she has not committed yet).
        let add = try alice.commit([.add(d.keyPackage)], using: &g)
        let welcome = try #require(add.welcome)
        #expect(MLSError.has(.expiredLeafNode) { _ = try Group(welcome: welcome, keyPackage: d, now: expired) })
        _ = try Group(welcome: welcome, keyPackage: d, now: GroupTests.now)
    }

    @Test("a new member must support the required extensions, proposals and credentials and the GroupContext's extensions")
    func requiredCapabilities() throws {
        var g = SeededGenerator(seed: 1202)
        let everything = (extensions: [Self.privateExtension], proposals: [Self.privateProposal], credentials: [CredentialType.basic, .x509])
        let a = try Self.bundle("a", extensions: everything.extensions, proposals: everything.proposals, credentials: everything.credentials, &g)
        let b = try Self.bundle("b", extensions: everything.extensions, proposals: everything.proposals, credentials: everything.credentials, &g)
        let cases: [(Extension, KeyPackageBundle)] = [
            (Self.requiredCapabilities(extensions: [Self.privateExtension]),
             try Self.bundle("c", proposals: everything.proposals, credentials: everything.credentials, &g)),
            (Self.requiredCapabilities(proposals: [Self.privateProposal]),
             try Self.bundle("c", extensions: everything.extensions, credentials: everything.credentials, &g)),
            (Self.requiredCapabilities(credentials: [.basic, .x509]),
             try Self.bundle("c", extensions: everything.extensions, proposals: everything.proposals, &g)),
            (Extension(type: Self.privateExtension, data: [1]),
             try Self.bundle("c", proposals: everything.proposals, credentials: everything.credentials, &g)),
        ]
        for (requirement, newcomer) in cases {
            let (alice, _) = try Self.pair(a, b, extensions: [requirement], &g)
            #expect(MLSError.has(.unsupportedCapability) { _ = try alice.commit([.add(newcomer.keyPackage)], using: &g) })
            // A newcomer with every capability is fine.
            let full = try Self.bundle("d", extensions: everything.extensions, proposals: everything.proposals, credentials: everything.credentials, &g)
            #expect(try alice.commit([.add(full.keyPackage)], using: &g).summary.added.count == 1)
        }
    }

    @Test("a joiner refuses a group whose GroupContext asks what a member's leaf does not support; a creator cannot start one")
    func joinerChecksGroupContext() throws {
        var g = SeededGenerator(seed: 1205)
        let a = try Self.bundle("a", &g), b = try Self.bundle("b", extensions: [Self.privateExtension], &g)
        let ext = Extension(type: Self.privateExtension, data: [2])
        #expect(MLSError.has(.unsupportedCapability) { _ = try Group(creating: [7], creator: a, extensions: [ext], using: &g) })
        // A state that took the extension anyway (as a careless or hostile creator could):
        // Bob, who supports it, is added, but Alice's leaf in the tree he receives does not.
        var alice = try Group(creating: [7], creator: a, using: &g)
        alice.context.extensions = [ext]
        let add = try alice.commit([.add(b.keyPackage)], using: &g)
        #expect(MLSError.has(.unsupportedCapability) { _ = try Group(welcome: try #require(add.welcome), keyPackage: b) })
    }

    @Test("credential types: each leaf's type is supported by every member, and each leaf supports every type in use")
    func credentialTypes() throws {
        var g = SeededGenerator(seed: 1203)
        // Alice (basic) and Bob (x509) both support both types.
        let a = try Self.bundle("a", credentials: [.basic, .x509], &g)
        let b = try Self.bundle("b", credential: Self.x509, credentials: [.basic, .x509], &g)
        var (alice, bob) = try Self.pair(a, b, &g)
        // Carol supports only basic, but x509 is in use.
        let carol = try Self.bundle("c", &g)
        #expect(MLSError.has(.unsupportedCapability) { _ = try alice.commit([.add(carol.keyPackage)], using: &g) })
        // Dave (x509) supports only x509, but basic is in use.
        let dave = try Self.bundle("d", credential: .x509(certificates: [[0x30, 0x01, 0x00]]), credentials: [.x509], &g)
        #expect(MLSError.has(.unsupportedCapability) { _ = try alice.commit([.add(dave.keyPackage)], using: &g) })

        // In a group of basic-only members, an x509 newcomer's type is not supported by everyone.
        let e = try Self.bundle("e", &g), f = try Self.bundle("f", &g)
        let (erin, _) = try Self.pair(e, f, &g)
        let frank = try Self.bundle("x", credential: .x509(certificates: [[0x30, 0x02, 0x00, 0x00]]), credentials: [.basic, .x509], &g)
        #expect(MLSError.has(.unsupportedCapability) { _ = try erin.commit([.add(frank.keyPackage)], using: &g) })

        // An Update that drops support for a type in use is refused when committed.
        var leaf = try #require(bob.tree.leaf(bob.myLeaf))
        leaf.capabilities.credentials = [.x509]
        leaf.source = .update
        let pair = try bob.provider.generateHPKEKeyPair(using: &g)
        leaf.encryptionKey = pair.publicKey
        try leaf.sign(bob.provider, with: b.signer, groupID: bob.groupID, leafIndex: bob.myLeaf)
        let update = try bob.propose(.update(leaf), using: &g)
        _ = try alice.process(update)
        #expect(MLSError.has(.unsupportedCapability) { _ = try alice.commit(using: &g) })
        // A joiner's tree check: a tree where a type in use is not supported by every leaf is invalid.
        var tree = alice.tree
        tree.update(bob.myLeaf, with: leaf)
        #expect(MLSError.has(.unsupportedCapability) { try tree.validate(alice.provider, groupID: alice.groupID) })
    }

    @Test("a GroupContextExtensions proposal needs every remaining member's support; removed members do not count")
    func groupContextExtensions() throws {
        var g = SeededGenerator(seed: 1204)
        let a = try Self.bundle("a", extensions: [Self.privateExtension], &g), b = try Self.bundle("b", extensions: [Self.privateExtension], &g)
        let c = try Self.bundle("c", &g)
        let alice = try Group(creating: [4], creator: a, using: &g)
        let add = try alice.commit([.add(b.keyPackage), .add(c.keyPackage)], using: &g)
        let welcome = try #require(add.welcome)
        var bob = try Group(welcome: welcome, keyPackage: b)
        var carol = try Group(welcome: welcome, keyPackage: c)
        let gce = Proposal.groupContextExtensions([Extension(type: Self.privateExtension, data: [])])
        let required = Proposal.groupContextExtensions([Self.requiredCapabilities(extensions: [Self.privateExtension])])
        for proposal in [gce, required] {
            #expect(MLSError.has(.unsupportedCapability) { _ = try add.group.commit([proposal], using: &g) })
            // A receiver applies a commit's list through the same step, and refuses it too.
            #expect(MLSError.has(.unsupportedCapability) {
                _ = try carol.applyProposals([(proposal, .member(add.group.myLeaf))], committer: .member(bob.myLeaf))
            })
        }
        // With Carol removed in the same commit, the new extensions apply.
        let commit = try add.group.commit([gce, .remove(carol.myLeaf)], using: &g)
        _ = try bob.process(commit.message)
        _ = try carol.process(commit.message)
        GroupTests.expectAgreement([commit.group, bob])
        #expect(bob.context.extensions == [Extension(type: Self.privateExtension, data: [])])
    }
}
