/// A commit this member created, with the state it leads to (§12.4).
///
/// Nothing changes until the caller adopts `group`, typically once the delivery service has
/// accepted `message`; if another commit wins the race, the caller processes that one instead
/// and builds this commit again.
public struct PendingCommit: Sendable {
    /// The commit to send to the group.
    public let message: MLSMessage
    /// The Welcome for members added by the commit, if any.
    public let welcome: Welcome?
    /// The group's tree after the commit, for new members when the Welcome does not carry it
    /// (encoded on demand: most commits never need it).
    public var ratchetTree: RatchetTreeNodes { group.tree.wire }
    /// The state after the commit.
    public let group: Group
    /// The membership changes.
    public let summary: CommitSummary
}

/// Options for creating a commit.
public struct CommitOptions: Sendable {
    /// Send the commit as a PrivateMessage (the RFC's SHOULD, §6) or as a PublicMessage.
    public var wireFormat: WireFormat = .privateMessage
    /// Include a fresh UpdatePath even when the proposals do not require one.
    public var forcePath = true
    /// Put the ratchet tree in the Welcome's GroupInfo (`ratchet_tree` extension).
    public var ratchetTreeInWelcome = true
    /// Zero bytes of padding for a PrivateMessage commit.
    public var padding = 0
    /// Data authenticated with, but not encrypted in, the commit.
    public var authenticatedData: [UInt8] = []
    /// The current time in seconds since the Unix epoch (the library has no clock). When set,
    /// added KeyPackages must be within their lifetime, as §7.3 requires of a sender.
    public var now: UInt64?

    public init() {}
}

extension Group {
    /// Creates a commit of `proposals` (by value) and of every proposal received in this epoch
    /// (by reference), with an UpdatePath when required or asked for, and a Welcome for added
    /// members (§12.4.1, §12.4.3.1). The group itself is unchanged.
    public func commit<R: RandomNumberGenerator>(_ proposals: [Proposal] = [], options: CommitOptions = CommitOptions(),
                                                 psks: some PreSharedKeyStore = InMemoryPSKStore(), using generator: inout R) throws -> PendingCommit {
        try makeCommit(proposals, options: options, psks: psks, resumption: nil, using: &generator)
    }

    /// ``commit(_:options:psks:using:)``, allowing the one resumption PSK of a ReInit or branch (§11.2, §11.3).
    func makeCommit<R: RandomNumberGenerator>(_ proposals: [Proposal], options: CommitOptions, psks: some PreSharedKeyStore,
                                              resumption: ResumptionLink?, using generator: inout R) throws -> PendingCommit {
        guard isActive else {
            throw MLSError.misuse(.invalidSender, "this member was removed and cannot commit", rfc: "§12.4.2")
        }
        try checkNotReinitialized()
        let me = Sender.member(myLeaf)
        let byReference = pendingProposals.map { ($0.proposal, $0.sender, ProposalOrRef.reference($0.reference)) }
        let byValue = proposals.map { ($0, me, ProposalOrRef.proposal($0)) }
        let all = byReference + byValue
        var applied = try applyProposals(all.map { ($0.0, $0.1) }, committer: me, now: options.now, resumption: resumption)

        var newContext = context
        newContext.epoch += 1
        newContext.extensions = applied.extensions
        var newPrivateKey = privateKey
        var commitSecret = SecretBytes.zero(count: provider.hashLength)
        var path: UpdatePath?
        var pathSecrets: [(node: NodeIndex, secret: SecretBytes)] = []
        if applied.isPathRequired || options.forcePath {
            guard let current = applied.tree.leaf(myLeaf) else {
                throw MLSError(.invalidSender, .internal, "this member's leaf is blank in its own tree")
            }
            let created = try applied.tree.createUpdatePath(provider, from: myLeaf, leafNode: current, signer: signer,
                                                            context: &newContext, excluding: applied.added, using: &generator)
            path = created.updatePath
            commitSecret = created.commitSecret
            newPrivateKey = created.privateKey
            pathSecrets = created.pathSecrets
        } else {
            newContext.treeHash = applied.tree.treeHash(provider)
        }
        let commit = Commit(proposals: all.map(\.2), path: path)

        // The commit is signed in the current epoch, then the transcript and the new epoch follow.
        let content = FramedContent(groupID: context.groupID, epoch: context.epoch, sender: me,
                                    authenticatedData: options.authenticatedData, content: .commit(commit))
        let signature = try provider.sign(AuthenticatedContent.signContent(wireFormat: options.wireFormat, content: content, context: context), with: signer)
        let unconfirmed = AuthenticatedContent(wireFormat: options.wireFormat, content: content,
                                               auth: FramedContentAuthData(signature: signature, confirmationTag: nil))
        let confirmed = TranscriptHashes.confirmed(provider, interimBefore: interimTranscriptHash, commit: unconfirmed)
        newContext.confirmedTranscriptHash = confirmed
        let pskInputs = try pskInputs(applied.psks, store: psks, resumption: resumption)
        let pskSecret = KeySchedule.pskSecret(provider, pskInputs)
        let schedule = KeySchedule.derive(provider, initSecret: epochSecrets.initSecret, commitSecret: commitSecret,
                                          pskSecret: pskSecret, groupContext: newContext)
        let tag = schedule.epoch.confirmationTag(provider, confirmedTranscriptHash: confirmed)
        let auth = FramedContentAuthData(signature: signature, confirmationTag: tag)

        var next = self
        let message: MLSMessage
        switch options.wireFormat {
        case .publicMessage:
            var publicMessage = PublicMessage(content: content, auth: auth, membershipTag: nil)
            publicMessage.membershipTag = provider.mac(key: epochSecrets.membershipKey.bytes, data: publicMessage.toBeMACed(context: context))
            message = .publicMessage(publicMessage)
        default:
            message = .privateMessage(try PrivateMessage.seal(provider, authenticated: AuthenticatedContent(wireFormat: .privateMessage, content: content, auth: auth),
                                                             secretTree: &next.secretTree, senderDataSecret: epochSecrets.senderDataSecret,
                                                             paddingLength: options.padding, using: &generator))
        }

        // Welcome for the added members.
        var welcome: Welcome?
        if !applied.added.isEmpty {
            var groupInfoExtensions: [Extension] = []
            if options.ratchetTreeInWelcome { groupInfoExtensions.append(Extension(type: .ratchetTree, data: applied.tree.wire.encoded)) }
            groupInfoExtensions.append(Extension(type: .externalPub, data: HPKEPublicKey(try schedule.epoch.externalKeyPair(provider).publicKey.bytes).encoded))
            var groupInfo = GroupInfo(groupContext: newContext, extensions: groupInfoExtensions, confirmationTag: tag, signer: myLeaf, signature: [])
            groupInfo.signature = try provider.signWithLabel(signer, label: "GroupInfoTBS", content: groupInfo.toBeSigned)
            let (key, nonce) = KeySchedule.welcomeKeyAndNonce(provider, welcomeSecret: schedule.welcomeSecret)
            let encryptedGroupInfo = try provider.seal(key: key.bytes, nonce: nonce, aad: [], plaintext: groupInfo.encoded)
            // `applied.added` lists the new leaves in the order of the Add proposals.
            let addedKeyPackages = all.compactMap { item -> KeyPackage? in
                if case .add(let keyPackage) = item.0 { return keyPackage }
                return nil
            }
            let groupSecrets = zip(addedKeyPackages, applied.added).map { _, leaf in
                let pathSecret = pathSecrets.first { TreeMath.isAncestor($0.node, of: leaf.nodeIndex) }?.secret
                return GroupSecrets(joinerSecret: schedule.joinerSecret, pathSecret: pathSecret, psks: pskInputs.map(\.id)).encoded
            }
            // One HPKE key schedule for all new members: the context is the whole encrypted GroupInfo.
            let sealed = try provider.encryptWithLabel(addedKeyPackages.map(\.initKey), label: "Welcome", context: encryptedGroupInfo, plaintexts: groupSecrets)
            let secrets = zip(addedKeyPackages, sealed).map { keyPackage, sealed in
                EncryptedGroupSecrets(newMember: provider.makeKeyPackageRef(keyPackage.encoded), encryptedGroupSecrets: sealed)
            }
            welcome = Welcome(cipherSuite: provider.suite, secrets: secrets, encryptedGroupInfo: encryptedGroupInfo)
        }

        next.retireCurrentEpoch()
        next.tree = applied.tree
        next.context = newContext
        next.privateKey = newPrivateKey
        next.epochSecrets = schedule.epoch
        next.interimTranscriptHash = TranscriptHashes.interim(provider, confirmed: confirmed, confirmationTag: tag)
        next.confirmationTag = tag
        next.secretTree = SecretTree(provider, encryptionSecret: schedule.epoch.encryptionSecret, leafCount: next.tree.leafCount,
                                     configuration: configuration.secretTree)
        next.pendingProposals = []
        next.pendingLeafKeys = [:]
        next.rememberResumptionPSK()
        next.reInit = applied.reInit
        let summary = CommitSummary(epoch: newContext.epoch, committer: me, added: applied.added, removed: applied.removed,
                                    updated: applied.updated, removedMe: false)
        return PendingCommit(message: message, welcome: welcome, group: next, summary: summary)
    }

    /// Encrypts application data for the group as a PrivateMessage (§15).
    public mutating func encrypt<R: RandomNumberGenerator>(_ data: [UInt8], authenticatedData: [UInt8] = [], padding: Int = 0,
                                                          using generator: inout R) throws -> MLSMessage {
        guard isActive else {
            throw MLSError.misuse(.invalidSender, "this member was removed and cannot send", rfc: "§12.4.2")
        }
        try checkNotReinitialized()
        let content = FramedContent(groupID: context.groupID, epoch: context.epoch, sender: .member(myLeaf),
                                    authenticatedData: authenticatedData, content: .application(data))
        return .privateMessage(try PrivateMessage.protect(provider, content: content, signer: signer, context: context, secretTree: &secretTree,
                                                          senderDataSecret: epochSecrets.senderDataSecret, paddingLength: padding, using: &generator))
    }

    /// Sends a proposal to the group (as a PrivateMessage) and keeps it for this member's next commit (§12.1).
    public mutating func propose<R: RandomNumberGenerator>(_ proposal: Proposal, using generator: inout R) throws -> MLSMessage {
        try checkNotReinitialized()
        let content = FramedContent(groupID: context.groupID, epoch: context.epoch, sender: .member(myLeaf), authenticatedData: [], content: .proposal(proposal))
        let authenticated = try AuthenticatedContent.sign(provider, wireFormat: .privateMessage, content: content, signer: signer,
                                                          context: context, confirmationTag: nil)
        let message = try PrivateMessage.seal(provider, authenticated: authenticated, secretTree: &secretTree,
                                              senderDataSecret: epochSecrets.senderDataSecret, paddingLength: 0, using: &generator)
        pendingProposals.append(PendingProposal(reference: provider.makeProposalRef(authenticated.encoded), proposal: proposal, sender: .member(myLeaf)))
        return .privateMessage(message)
    }

    /// Proposes an Update of this member's leaf with a fresh encryption key (§12.1.2); another
    /// member's commit applies it.
    public mutating func proposeUpdate<R: RandomNumberGenerator>(using generator: inout R) throws -> MLSMessage {
        guard var leaf = tree.leaf(myLeaf) else { throw MLSError(.invalidSender, .internal, "this member's leaf is blank") }
        let pair = try provider.generateHPKEKeyPair(using: &generator)
        leaf.encryptionKey = pair.publicKey
        leaf.source = .update
        try leaf.sign(provider, with: signer, groupID: context.groupID, leafIndex: myLeaf)
        let message = try propose(.update(leaf), using: &generator)
        pendingLeafKeys[pair.publicKey] = pair.privateKey
        return message
    }
}
