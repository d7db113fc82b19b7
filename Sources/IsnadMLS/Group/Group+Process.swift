/// What processing an incoming message produced.
public enum ProcessedMessage: Sendable {
    /// Application data from a member.
    case application(data: [UInt8], sender: LeafIndex, authenticatedData: [UInt8], epoch: UInt64)
    /// A proposal, kept until a commit covers it.
    case proposal(Proposal, sender: Sender)
    /// A commit that moved the group to a new epoch.
    case commit(CommitSummary)
}

/// The membership changes of a processed commit.
public struct CommitSummary: Sendable, Hashable {
    public let epoch: UInt64
    public let committer: Sender
    public let added: [LeafIndex]
    public let removed: [LeafIndex]
    public let updated: [LeafIndex]
    /// True when the commit removed this member: the group can no longer be used to send.
    public let removedMe: Bool
}

extension Group {
    /// Processes one handshake or application message (§6, §12.4.2) through its stages:
    /// decode → unprotect (membership tag or AEAD) → verify signature → apply. The state
    /// changes only if every step succeeds.
    /// - Parameters:
    ///   - psks: where external PSKs named by a commit are found.
    ///   - now: the current time in seconds since the Unix epoch (the library has no clock).
    ///     When given, leaves from KeyPackages that arrive in Add proposals and commits must be
    ///     within their lifetime (§7.3, RECOMMENDED for a receiver).
    /// - Throws: ``MLSError``; the group is unchanged.
    public mutating func process(_ message: MLSMessage, psks: some PreSharedKeyStore = InMemoryPSKStore(), now: UInt64? = nil) throws -> ProcessedMessage {
        if case .privateMessage(let privateMessage) = message, privateMessage.contentType == .application,
           privateMessage.epoch == context.epoch, reInit == nil {
            return try processApplication(privateMessage)
        }
        var next = self
        let result = try next.processStaged(message, psks: psks, now: now)
        self = next
        return result
    }

    private mutating func processStaged(_ message: MLSMessage, psks: some PreSharedKeyStore, now: UInt64?) throws -> ProcessedMessage {
        if reInit != nil {
            // §11.2: after the ReInit commit the group is shut down; only late application
            // messages of earlier epochs (sent before it) are still read.
            guard case .privateMessage(let late) = message, late.epoch < context.epoch else {
                throw MLSError.badInput(.reinitialized, "a ReInit was committed: this group accepts no more messages", rfc: "§11.2")
            }
        }
        let verified: VerifiedContent
        switch message {
        case .publicMessage(let publicMessage):
            let unverified = try publicMessage.unprotect(provider, context: context,
                                                        membershipKey: epochSecrets.membershipKey)
            verified = try unverified.verifySignature(provider, publicKey: signatureKey(for: unverified.authenticatedContent), context: context)
        case .privateMessage(let privateMessage):
            if privateMessage.epoch != context.epoch {
                return try processPastEpoch(privateMessage)
            }
            let unverified = try privateMessage.decrypt(provider, context: context, secretTree: &secretTree,
                                                        senderDataSecret: epochSecrets.senderDataSecret)
            verified = try unverified.verifySignature(provider, publicKey: signatureKey(for: unverified.authenticatedContent), context: context)
        default:
            throw MLSError.badInput(.wrongWireFormat, "a \(message.wireFormat.rawValue) message is not a group message", rfc: "§6")
        }
        let content = verified.authenticatedContent
        switch content.content.content {
        case .application(let data):
            guard case .member(let leaf) = content.content.sender else {
                throw MLSError.badInput(.invalidSender, "application data from a non-member", rfc: "§6")
            }
            return .application(data: data, sender: leaf, authenticatedData: content.content.authenticatedData, epoch: context.epoch)
        case .proposal(let proposal):
            try acceptProposal(proposal, content: content, now: now)
            return .proposal(proposal, sender: content.content.sender)
        case .commit(let commit):
            return .commit(try applyCommit(commit, content: content, psks: psks, now: now))
        }
    }

    /// An application message of the current epoch, processed in place: only the sender's
    /// ratchet changes, and it is put back if any stage fails, so the state stays unchanged on
    /// error without copying the secret tree's dictionaries (copy-on-write) for every message.
    private mutating func processApplication(_ message: PrivateMessage) throws -> ProcessedMessage {
        var snapshot: SecretTree.Snapshot?
        do {
            let unverified = try message.decrypt(provider, context: context, secretTree: &secretTree,
                                                 senderDataSecret: epochSecrets.senderDataSecret, willConsume: { snapshot = $0 })
            let verified = try unverified.verifySignature(provider, publicKey: signatureKey(for: unverified.authenticatedContent), context: context)
            let content = verified.authenticatedContent
            guard case .application(let data) = content.content.content, case .member(let leaf) = content.content.sender else {
                throw MLSError.badInput(.invalidValue, "a PrivateMessage of content type application holds other content", rfc: "§6.3")
            }
            return .application(data: data, sender: leaf, authenticatedData: content.content.authenticatedData, epoch: context.epoch)
        } catch {
            if let snapshot { secretTree.restore(snapshot) }
            throw error
        }
    }

    /// Decrypts a late application message with the kept secrets of a past epoch.
    private mutating func processPastEpoch(_ message: PrivateMessage) throws -> ProcessedMessage {
        guard message.contentType == .application, var past = pastEpochs[message.epoch] else {
            throw MLSError.badInput(.wrongEpoch, "the message is for epoch \(message.epoch), which this member no longer keeps", rfc: "§14")
        }
        let unverified = try message.decrypt(provider, context: past.context, secretTree: &past.secretTree, senderDataSecret: past.senderDataSecret)
        pastEpochs[message.epoch] = past
        guard case .member(let leaf) = unverified.sender, let key = past.tree.leaf(leaf)?.signatureKey else {
            throw MLSError.badInput(.invalidSender, "the late message's sender was not a member of its epoch", rfc: "§6.3.2")
        }
        let verified = try unverified.verifySignature(provider, publicKey: key, context: past.context)
        guard case .application(let data) = verified.authenticatedContent.content.content else {
            throw MLSError.badInput(.invalidValue, "a late message is not application data", rfc: "§14")
        }
        return .application(data: data, sender: leaf, authenticatedData: message.authenticatedData, epoch: message.epoch)
    }

    /// The key that must have signed `content` (§6.1).
    func signatureKey(for content: AuthenticatedContent) throws -> SignaturePublicKey {
        switch content.content.sender {
        case .member(let leaf):
            guard let node = tree.leaf(leaf) else {
                throw MLSError.badInput(.invalidSender, "the sender \(leaf) is not a member", rfc: "§6.3.2")
            }
            return node.signatureKey
        case .external(let index):
            guard case .proposal = content.content.content else {
                throw MLSError.badInput(.invalidSender, "an external sender may only send proposals", rfc: "§6.1")
            }
            let senders = try externalSenders()
            guard Int(index) < senders.count else {
                throw MLSError.badInput(.invalidSender, "external sender \(index) is not in the group's external_senders", rfc: "§12.1.8.1")
            }
            return senders[Int(index)].signatureKey
        case .newMemberProposal:
            guard case .proposal(.add(let keyPackage)) = content.content.content else {
                throw MLSError.badInput(.invalidSender, "a new member may only propose its own Add", rfc: "§6.1")
            }
            return keyPackage.leafNode.signatureKey
        case .newMemberCommit:
            guard case .commit(let commit) = content.content.content, let path = commit.path else {
                throw MLSError.badInput(.invalidSender, "an external commit must carry a path", rfc: "§12.4.3.2")
            }
            return path.leafNode.signatureKey
        }
    }

    /// The `external_senders` extension of the GroupContext (§12.1.8.1).
    func externalSenders() throws -> [(signatureKey: SignaturePublicKey, credential: Credential)] {
        guard let ext = context.extensions.first(where: { $0.type == .externalSenders }) else { return [] }
        var decoder = TLSDecoder(ext.data)
        let senders = try decoder.readVector("external_senders") { inner -> [(SignaturePublicKey, Credential)] in
            var result: [(SignaturePublicKey, Credential)] = []
            while !inner.isAtEnd { result.append((try inner.read(), try inner.read())) }
            return result
        }
        try decoder.finish("external_senders")
        return senders.map { (signatureKey: $0.0, credential: $0.1) }
    }

    /// Keeps a verified proposal under its ProposalRef (§5.2) for a later commit.
    private mutating func acceptProposal(_ proposal: Proposal, content: AuthenticatedContent, now: UInt64?) throws {
        switch proposal {
        case .externalInit:
            throw MLSError.badInput(.invalidValue, "an ExternalInit can only travel inside an external commit", rfc: "§12.1.6")
        case .update(let leaf):
            guard case .member(let sender) = content.content.sender else {
                throw MLSError.badInput(.invalidSender, "an Update must come from a member", rfc: "§12.1.2")
            }
            try validateLeafNode(leaf, expected: .update, leafIndex: sender, context: context, now: now)
        case .add(let keyPackage):
            try validateKeyPackage(keyPackage, context: context, now: now)
        case .remove(let leaf):
            guard tree.leaf(leaf) != nil else {
                throw MLSError.badInput(.invalidValue, "a Remove for blank \(leaf)", rfc: "§12.1.3")
            }
        default:
            break
        }
        let reference = provider.makeProposalRef(content.encoded)
        pendingProposals.append(PendingProposal(reference: reference, proposal: proposal, sender: content.content.sender))
    }

    /// Applies a verified commit (§12.4.2) and moves to the next epoch.
    private mutating func applyCommit(_ commit: Commit, content: AuthenticatedContent, psks: some PreSharedKeyStore, now: UInt64?) throws -> CommitSummary {
        let committer = content.content.sender
        switch committer {
        case .member(let leaf):
            guard leaf != myLeaf else {
                throw MLSError.misuse(.invalidSender, "this member's own commit is applied with the state its creation returned, not processed", rfc: "§12.4.2")
            }
        case .newMemberCommit:
            break
        default:
            throw MLSError.badInput(.invalidSender, "a commit must come from a member or a new member", rfc: "§12.4")
        }
        var applied = try applyProposals(try resolve(commit.proposals, committer: committer), committer: committer, now: now)
        if applied.isPathRequired && commit.path == nil {
            throw MLSError.badInput(.invalidValue, "the commit needs a path (it is empty, or updates, removes, or changes extensions)", rfc: "§12.4")
        }
        if applied.removed.contains(myLeaf) {
            // Removed: the commit is authentic but this member cannot follow into the new epoch.
            retireCurrentEpoch()
            isActive = false
            return CommitSummary(epoch: context.epoch + 1, committer: committer, added: applied.added, removed: applied.removed,
                                 updated: applied.updated, removedMe: true)
        }

        var newContext = context
        newContext.epoch += 1
        newContext.extensions = applied.extensions
        var newPrivateKey = privateKey
        if applied.updated.contains(myLeaf) {
            // Another member committed this member's Update: take up the key kept for it.
            guard let leaf = applied.tree.leaf(myLeaf), let key = pendingLeafKeys[leaf.encryptionKey] else {
                throw MLSError.badInput(.invalidValue, "the commit applies an Update of this member that it did not propose", rfc: "§12.1.2")
            }
            newPrivateKey = TreeKEMPrivateKey(leaf: myLeaf, encryptionKey: key)
        }
        var commitSecret = SecretBytes.zero(count: provider.hashLength)
        if let path = commit.path {
            let sender: LeafIndex
            switch committer {
            case .member(let leaf):
                sender = leaf
                guard let current = applied.tree.leaf(leaf), current.encryptionKey != path.leafNode.encryptionKey else {
                    throw MLSError.badInput(.invalidValue, "the committer's new leaf keeps its old encryption key", rfc: "§12.4.2")
                }
                if CredentialSupport.changes(current, to: path.leafNode) {
                    var support = CredentialSupport(applied.tree, excluding: leaf)
                    try support.admit(path.leafNode)
                }
            default:
                var support = CredentialSupport(applied.tree)
                try support.admit(path.leafNode)
                sender = applied.tree.add(path.leafNode)
            }
            // The signature is verified by `merge`, with the same group ID and leaf index.
            try validateLeafNode(path.leafNode, expected: .commit, leafIndex: nil, context: newContext)
            // One pass over the tree against the path's few keys (no set of every key in the tree).
            let pathKeys = Set(path.nodes.map(\.encryptionKey))
            for node in applied.tree.nodes {
                let key: HPKEPublicKey? = switch node {
                case .leaf(let leaf): leaf.encryptionKey
                case .parent(let parent): parent.encryptionKey
                case nil: nil
                }
                if let key, pathKeys.contains(key) {
                    throw MLSError.badInput(.invalidValue, "an UpdatePath key already appears in the tree", rfc: "§12.4.2")
                }
            }
            try applied.tree.merge(provider, updatePath: path, from: sender, groupID: context.groupID)
            newContext.treeHash = applied.tree.treeHash(provider)
            commitSecret = try applied.tree.decryptPathSecret(provider, updatePath: path, from: sender, privateKey: &newPrivateKey,
                                                              context: newContext, excluding: applied.added).commitSecret
        } else {
            newContext.treeHash = applied.tree.treeHash(provider)
        }

        let confirmed = TranscriptHashes.confirmed(provider, interimBefore: interimTranscriptHash, commit: content)
        newContext.confirmedTranscriptHash = confirmed
        let pskSecret = KeySchedule.pskSecret(provider, try pskInputs(applied.psks, store: psks))

        var initSecret = epochSecrets.initSecret
        if let kemOutput = applied.externalInit {
            let external = try epochSecrets.externalKeyPair(provider)
            initSecret = try provider.hpkeExportRecipient(external.privateKey, kemOutput: kemOutput, info: [],
                                                          exporterContext: Array("MLS 1.0 external init secret".utf8), length: provider.hashLength)
        }
        let schedule = KeySchedule.derive(provider, initSecret: initSecret, commitSecret: commitSecret, pskSecret: pskSecret, groupContext: newContext)
        guard let tag = content.auth.confirmationTag,
              constantTimeEquals(schedule.epoch.confirmationTag(provider, confirmedTranscriptHash: confirmed), tag) else {
            throw MLSError.badInput(.invalidConfirmationTag, "the commit's confirmation tag does not verify", rfc: "§12.4.2")
        }

        retireCurrentEpoch()
        tree = applied.tree
        context = newContext
        privateKey = newPrivateKey
        epochSecrets = schedule.epoch
        interimTranscriptHash = TranscriptHashes.interim(provider, confirmed: confirmed, confirmationTag: tag)
        confirmationTag = tag
        secretTree = SecretTree(provider, encryptionSecret: schedule.epoch.encryptionSecret, leafCount: tree.leafCount,
                                configuration: configuration.secretTree)
        pendingProposals = []
        pendingLeafKeys = [:]
        rememberResumptionPSK()
        reInit = applied.reInit
        return CommitSummary(epoch: context.epoch, committer: committer, added: applied.added, removed: applied.removed,
                             updated: applied.updated, removedMe: false)
    }
}
