/// The effect of a commit's proposal list on the tree and GroupContext (§12.3).
struct AppliedProposals {
    var tree: RatchetTree
    var extensions: [Extension]
    var added: [LeafIndex] = []
    var removed: [LeafIndex] = []
    var updated: [LeafIndex] = []
    var psks: [PreSharedKeyID] = []
    var externalInit: [UInt8]?
    var reInit: ReInit?
    /// Update, Remove, ExternalInit or GroupContextExtensions present, or no proposal at all (§12.4).
    var isPathRequired: Bool
}

extension Group {
    /// Resolves a commit's proposals: by value they come from the committer; by reference they
    /// must be proposals received in this epoch (§12.4).
    func resolve(_ proposals: [ProposalOrRef], committer: Sender) throws -> [(Proposal, Sender)] {
        try proposals.map { item in
            switch item {
            case .proposal(let proposal):
                return (proposal, committer)
            case .reference(let reference):
                guard let pending = pendingProposals.first(where: { constantTimeEquals($0.reference, reference) }) else {
                    throw MLSError.badInput(.invalidValue, "the commit references a proposal this member has not received", rfc: "§12.4")
                }
                return (pending.proposal, pending.sender)
            }
        }
    }

    /// Validates the proposal list (§12.2) and applies it to a copy of the tree and GroupContext
    /// in the order of §12.3.
    /// - Parameter now: seconds since the Unix epoch; when given, added KeyPackages must be
    ///   within their lifetime (a MUST for a committer, RECOMMENDED for a receiver, §7.3).
    /// - Parameter resumption: the one `reinit` or `branch` resumption PSK this commit may
    ///   carry (the first commit of a reinitialized group or subgroup); otherwise none may appear.
    func applyProposals(_ proposals: [(Proposal, Sender)], committer: Sender, now: UInt64? = nil,
                        resumption: ResumptionLink? = nil) throws -> AppliedProposals {
        let isExternal = committer == .newMemberCommit
        var result = AppliedProposals(tree: tree, extensions: context.extensions, isPathRequired: proposals.isEmpty)
        var touched = Set<LeafIndex>()
        var pskIDs = Set<PreSharedKeyID>()
        var newContext = context

        func invalid(_ message: String) -> MLSError { .badInput(.invalidValue, message, rfc: "§12.2") }

        // Shape of the list first.
        let types = proposals.map(\.0.type)
        if isExternal {
            guard types.filter({ $0 == .externalInit }).count == 1 else { throw invalid("an external commit needs exactly one ExternalInit") }
            guard types.filter({ $0 == .remove }).count <= 1 else { throw invalid("an external commit may remove at most one leaf") }
            guard types.allSatisfy({ [.externalInit, .remove, .psk].contains($0) }) else {
                throw invalid("an external commit may carry only ExternalInit, Remove and PreSharedKey proposals")
            }
        } else {
            guard !types.contains(.externalInit) else { throw invalid("a member's commit cannot carry an ExternalInit") }
            guard !types.contains(.reinit) || types.count == 1 else { throw invalid("a ReInit must be the only proposal of its commit") }
        }
        guard types.filter({ $0 == .groupContextExtensions }).count <= 1 else { throw invalid("more than one GroupContextExtensions proposal") }

        // GroupContextExtensions: the new extensions govern the rest of the list.
        var hasNewExtensions = false
        for (proposal, _) in proposals {
            if case .groupContextExtensions(let extensions) = proposal {
                result.extensions = extensions
                newContext.extensions = extensions
                result.isPathRequired = true
                hasNewExtensions = true
            }
        }
        // Updates.
        for (proposal, sender) in proposals {
            guard case .update(let leafNode) = proposal else { continue }
            guard case .member(let leaf) = sender else { throw invalid("an Update must come from a member") }
            guard sender != committer else { throw invalid("a commit cannot include its committer's own Update") }
            guard touched.insert(leaf).inserted else { throw invalid("two Update/Remove proposals for \(leaf)") }
            guard let current = result.tree.leaf(leaf) else { throw invalid("an Update for blank \(leaf)") }
            try validateLeafNode(leafNode, expected: .update, leafIndex: leaf, context: newContext, now: now)
            guard leafNode.encryptionKey != current.encryptionKey else { throw invalid("an Update keeps the old encryption key") }
            if CredentialSupport.changes(current, to: leafNode) {
                var support = CredentialSupport(result.tree, excluding: leaf)
                try support.admit(leafNode)
            }
            result.tree.update(leaf, with: leafNode)
            result.updated.append(leaf)
            result.isPathRequired = true
        }
        // Removes.
        for (proposal, _) in proposals {
            guard case .remove(let leaf) = proposal else { continue }
            if case .member(let committerLeaf) = committer, committerLeaf == leaf { throw invalid("a commit cannot remove its committer") }
            guard touched.insert(leaf).inserted else { throw invalid("two Update/Remove proposals for \(leaf)") }
            guard result.tree.leaf(leaf) != nil else { throw invalid("a Remove for blank \(leaf)") }
            result.tree.remove(leaf)
            result.removed.append(leaf)
            result.isPathRequired = true
        }
        // A new GroupContext must be supported by every member who stays (§12.1.7, §13.4);
        // members added below are checked against it one by one.
        if hasNewExtensions {
            let requirements = try GroupRequirements(newContext)
            for leaf in result.tree.occupiedLeaves {
                if let node = result.tree.leaf(leaf) { try requirements.check(node) }
            }
        }
        // Adds, in order.
        let adds = proposals.compactMap { item -> KeyPackage? in
            if case .add(let keyPackage) = item.0 { return keyPackage }
            return nil
        }
        if !adds.isEmpty {
            var signatureKeys = Set(result.tree.occupiedLeaves.compactMap { result.tree.leaf($0)?.signatureKey })
            var credentials = CredentialSupport(result.tree)
            var searchFrom = LeafIndex(0)
            // The signature checks of the KeyPackages (two each) are independent: spread them over the cores.
            let group = self, addContext = newContext
            _ = try ParallelWork.map(adds.count) { try group.validateKeyPackage(adds[$0], context: addContext, now: now) }
            for keyPackage in adds {
                try credentials.admit(keyPackage.leafNode)
                guard signatureKeys.insert(keyPackage.leafNode.signatureKey).inserted else {
                    throw invalid("an Add for a client already in the group (same signature key)")
                }
                let leaf = result.tree.add(keyPackage.leafNode, searchingFrom: searchFrom)
                result.added.append(leaf)
                searchFrom = LeafIndex(leaf.rawValue + 1)
            }
        }
        // PSKs, ExternalInit, ReInit.
        for (proposal, _) in proposals {
            switch proposal {
            case .preSharedKey(let id):
                guard id.nonce.count == provider.hashLength else { throw invalid("a PreSharedKey proposal's nonce is not Nh bytes") }
                if case .resumption(let usage, _, _) = id.kind, usage != .application {
                    // §12.1.4: only in the operation it links, and only once (§12.4.3.1).
                    guard let resumption, resumption.matches(id), !result.psks.contains(where: resumption.matches) else {
                        throw invalid("a resumption PSK for reinit or branch outside those operations")
                    }
                }
                guard pskIDs.insert(id).inserted else { throw invalid("two PreSharedKey proposals name the same PSK") }
                result.psks.append(id)
            case .externalInit(let kemOutput):
                result.externalInit = kemOutput
                result.isPathRequired = true
            case .reInit(let groupID, let version, let cipherSuite, let extensions):
                guard version.rawValue >= context.version.rawValue else { throw invalid("a ReInit to an older protocol version") }
                result.reInit = ReInit(groupID: groupID, version: version, cipherSuite: cipherSuite, extensions: extensions)
            default:
                break
            }
        }
        // Keys in the tree stay unique after the changes (§7.3); only Adds and Updates bring
        // new keys (an UpdatePath's are checked when it is merged).
        var encryptionKeys = Set<[UInt8]>()
        for node in (result.added.isEmpty && result.updated.isEmpty ? [] : result.tree.nodes) {
            let key: [UInt8]? = switch node {
            case .leaf(let leaf): leaf.encryptionKey.bytes
            case .parent(let parent): parent.encryptionKey.bytes
            case nil: nil
            }
            if let key, !encryptionKeys.insert(key).inserted { throw invalid("an encryption key appears twice in the tree") }
        }
        return result
    }

    /// The PSK inputs for a list of PreSharedKeyIDs: external ones from the store, resumption
    /// ones from this group's kept epochs (§8.4).
    func pskInputs(_ ids: [PreSharedKeyID], store: some PreSharedKeyStore, resumption: ResumptionLink? = nil) throws -> [PreSharedKeyInput] {
        try ids.map { id in
            switch id.kind {
            case .external(let pskID):
                guard let psk = store.externalPSK(id: pskID) else {
                    throw MLSError.badInput(.invalidValue, "a commit names an external PSK this member does not have", rfc: "§12.4.2")
                }
                return PreSharedKeyInput(id: id, psk: psk)
            case .resumption(_, let groupID, let epoch):
                let linked = resumption.flatMap { $0.matches(id) ? $0.psk : nil }
                guard let psk = linked ?? resumptionPSK(groupID: groupID, epoch: epoch) else {
                    throw MLSError.badInput(.invalidValue, "a commit names a resumption PSK of an epoch this member does not keep", rfc: "§12.4.2")
                }
                return PreSharedKeyInput(id: id, psk: psk)
            }
        }
    }
}
