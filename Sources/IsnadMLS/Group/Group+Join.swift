/// Looks up PSKs by their ID when joining or processing a commit (§8.4).
public protocol PreSharedKeyStore: Sendable {
    /// The external PSK with this ID, if the application has it.
    func externalPSK(id: [UInt8]) -> SecretBytes?
}

/// External PSKs held in memory.
public struct InMemoryPSKStore: PreSharedKeyStore {
    public var psks: [[UInt8]: SecretBytes]
    public init(_ psks: [[UInt8]: SecretBytes] = [:]) { self.psks = psks }
    public func externalPSK(id: [UInt8]) -> SecretBytes? { psks[id] }
}

extension Group {
    /// Joins a group from a Welcome (§12.4.3.1).
    ///
    /// Decrypts this member's GroupSecrets and the GroupInfo, verifies the GroupInfo signature,
    /// the tree (tree hash, parent hashes, leaf signatures, unmerged leaves) and the confirmation
    /// tag, finds this member's leaf, and derives the path keys it is owed.
    /// - Parameters:
    ///   - ratchetTree: the tree when it is not carried in the GroupInfo's `ratchet_tree` extension.
    ///   - psks: where external PSKs named by the Welcome are found.
    ///   - old: the group this Welcome resumes, for a reinitialized group or a subgroup
    ///     (§11.2, §11.3): its resumption PSK is used and the new group is checked against it.
    ///   - now: the current time in seconds since the Unix epoch; when given, leaves from
    ///     KeyPackages in the tree must be within their lifetime (§7.3, RECOMMENDED).
    /// - Throws: ``MLSError`` of kind `.badInput` for every failed check.
    public init(welcome: Welcome, keyPackage bundle: KeyPackageBundle, ratchetTree: RatchetTreeNodes? = nil,
                psks: some PreSharedKeyStore = InMemoryPSKStore(), configuration: GroupConfiguration = .default,
                resuming old: Group? = nil, now: UInt64? = nil) throws {
        let provider = try CipherSuiteProvider(welcome.cipherSuite)
        guard bundle.keyPackage.cipherSuite == welcome.cipherSuite else {
            throw MLSError.badInput(.invalidValue, "the Welcome's cipher suite differs from the KeyPackage's", rfc: "§12.4.3.1")
        }
        let reference = provider.makeKeyPackageRef(bundle.keyPackage.encoded)
        guard let entry = welcome.secrets.first(where: { $0.newMember == reference }) else {
            throw MLSError.badInput(.invalidValue, "the Welcome has no entry for this KeyPackage", rfc: "§12.4.3.1")
        }
        let groupSecrets = try GroupSecrets(decoding: provider.decryptWithLabel(
            bundle.initPrivateKey, label: "Welcome", context: welcome.encryptedGroupInfo,
            kemOutput: entry.encryptedGroupSecrets.kemOutput, ciphertext: entry.encryptedGroupSecrets.ciphertext))

        // PSKs named by the Welcome: external ones come from the store; resumption PSKs from
        // the old group the caller passes, at most one of them of usage reinit or branch.
        var pskInputs: [PreSharedKeyInput] = []
        var link: ResumptionLink?
        for id in groupSecrets.psks {
            let psk: SecretBytes?
            switch id.kind {
            case .external(let pskID):
                psk = psks.externalPSK(id: pskID)
            case .resumption(let usage, let groupID, let epoch):
                psk = old?.resumptionPSK(groupID: groupID, epoch: epoch)
                if let psk, usage != .application {
                    guard link == nil else {
                        throw MLSError.badInput(.invalidResumption, "the Welcome names more than one reinit or branch PSK", rfc: "§12.4.3.1")
                    }
                    link = ResumptionLink(usage: usage, groupID: groupID, epoch: epoch, psk: psk)
                }
            }
            guard let psk else {
                throw MLSError.badInput(.invalidValue, "the Welcome names a pre-shared key this client does not have", rfc: "§12.4.3.1")
            }
            pskInputs.append(PreSharedKeyInput(id: id, psk: psk))
        }
        let pskSecret = KeySchedule.pskSecret(provider, pskInputs)

        let welcomeSecret = KeySchedule.welcomeSecret(provider, joinerSecret: groupSecrets.joinerSecret, pskSecret: pskSecret)
        let (key, nonce) = KeySchedule.welcomeKeyAndNonce(provider, welcomeSecret: welcomeSecret)
        let groupInfo = try GroupInfo(decoding: provider.open(key: key.bytes, nonce: nonce, aad: [], ciphertext: welcome.encryptedGroupInfo))
        guard groupInfo.groupContext.cipherSuite == welcome.cipherSuite, groupInfo.groupContext.version == .mls10 else {
            throw MLSError.badInput(.invalidValue, "the GroupInfo's cipher suite or version differs from the Welcome's", rfc: "§12.4.3.1")
        }

        let tree = try Self.verifiedTree(provider, groupInfo: groupInfo, supplied: ratchetTree, now: now)
        if let link, let old {
            try Self.checkResumption(link, old: old, newContext: groupInfo.groupContext, newTree: tree)
        }

        guard let myLeaf = tree.occupiedLeaves.first(where: { tree.leaf($0) == bundle.keyPackage.leafNode }) else {
            throw MLSError.badInput(.invalidValue, "no leaf of the tree is this KeyPackage's leaf node", rfc: "§12.4.3.1")
        }
        var privateKey = TreeKEMPrivateKey(leaf: myLeaf, encryptionKey: bundle.encryptionPrivateKey)
        if let pathSecret = groupSecrets.pathSecret {
            let filtered = tree.filteredDirectPath(groupInfo.signer).map(\.node)
            guard let start = filtered.firstIndex(where: { TreeMath.isAncestor($0, of: myLeaf.nodeIndex) }) else {
                throw MLSError.badInput(.invalidValue, "the Welcome's path secret has no common ancestor on the signer's path", rfc: "§12.4.3.1")
            }
            var secret = pathSecret.bytes
            for node in filtered[start...] {
                try privateKey.setPathSecret(SecretBytes(secret), for: node, provider)
                secret = provider.deriveSecret(secret, label: "path")
            }
        }
        try privateKey.checkConsistent(with: tree, provider)

        let schedule = KeySchedule.derive(provider, joinerSecret: groupSecrets.joinerSecret, pskSecret: pskSecret, groupContext: groupInfo.groupContext)
        let expectedTag = schedule.epoch.confirmationTag(provider, confirmedTranscriptHash: groupInfo.groupContext.confirmedTranscriptHash)
        guard constantTimeEquals(expectedTag, groupInfo.confirmationTag) else {
            throw MLSError.badInput(.invalidConfirmationTag, "the GroupInfo's confirmation tag does not verify", rfc: "§12.4.3.1")
        }

        self.provider = provider
        self.context = groupInfo.groupContext
        self.tree = tree
        self.myLeaf = myLeaf
        self.configuration = configuration
        self.privateKey = privateKey
        self.signer = bundle.signer
        self.confirmationTag = groupInfo.confirmationTag
        self.interimTranscriptHash = TranscriptHashes.interim(provider, confirmed: groupInfo.groupContext.confirmedTranscriptHash,
                                                              confirmationTag: groupInfo.confirmationTag)
        self.epochSecrets = schedule.epoch
        self.secretTree = SecretTree(provider, encryptionSecret: schedule.epoch.encryptionSecret, leafCount: tree.leafCount,
                                     configuration: configuration.secretTree)
        rememberResumptionPSK()
    }

    /// The tree a joiner may trust (§12.4.3.1, §12.4.3.2): taken from the GroupInfo's
    /// `ratchet_tree` extension or else `supplied`; the GroupInfo's signature verifies with the
    /// signer's leaf, its tree hash matches, and the tree is valid (leaf signatures, unique keys,
    /// unmerged leaves, parent hashes).
    static func verifiedTree(_ provider: CipherSuiteProvider, groupInfo: GroupInfo, supplied: RatchetTreeNodes?, now: UInt64? = nil) throws -> RatchetTree {
        let treeFromExtension = try groupInfo.extensions.first { $0.type == .ratchetTree }.map { try RatchetTreeNodes(decoding: $0.data) }
        guard let wireTree = treeFromExtension ?? supplied else {
            throw MLSError.badInput(.invalidValue, "no ratchet tree: none in the GroupInfo and none supplied", rfc: "§12.4.3.3")
        }
        var tree = try RatchetTree(wireTree)
        guard let signerLeaf = tree.leaf(groupInfo.signer),
              provider.verifyWithLabel(signerLeaf.signatureKey, label: "GroupInfoTBS", content: groupInfo.toBeSigned, signature: groupInfo.signature) else {
            throw MLSError.badInput(.invalidSignature, "the GroupInfo's signature does not verify with its signer's leaf key", rfc: "§12.4.3.1")
        }
        guard constantTimeEquals(tree.treeHash(provider), groupInfo.groupContext.treeHash) else {
            throw MLSError.badInput(.invalidValue, "the ratchet tree's hash differs from the GroupInfo's tree hash", rfc: "§12.4.3.1")
        }
        try tree.validate(provider, groupID: groupInfo.groupContext.groupID, now: now)
        // Every member supports what the GroupContext asks (§13.4: a joiner supports each of
        // its extensions; the members' leaves list them).
        let requirements = try GroupRequirements(groupInfo.groupContext)
        for leaf in tree.occupiedLeaves {
            if let node = tree.leaf(leaf) { try requirements.check(node) }
        }
        return tree
    }
}
