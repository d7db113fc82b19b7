extension Group {
    /// A signed GroupInfo for the current epoch (§12.4.3), with the `external_pub` extension so
    /// others can join by external commit, and the ratchet tree if asked.
    public func groupInfo(includingRatchetTree: Bool = true) throws -> GroupInfo {
        var extensions: [Extension] = []
        if includingRatchetTree { extensions.append(Extension(type: .ratchetTree, data: tree.wire.encoded)) }
        extensions.append(Extension(type: .externalPub, data: try epochSecrets.externalKeyPair(provider).publicKey.encoded))
        var info = GroupInfo(groupContext: context, extensions: extensions, confirmationTag: confirmationTag, signer: myLeaf, signature: [])
        info.signature = try provider.signWithLabel(signer, label: "GroupInfoTBS", content: info.toBeSigned)
        return info
    }

    /// Joins a group by external commit (§12.4.3.2): verifies the GroupInfo and its tree, takes
    /// the leftmost blank leaf, and commits an ExternalInit (and, to rejoin, the Remove of an
    /// old leaf) with a fresh UpdatePath. Returns the new member's state and the commit to send,
    /// a PublicMessage from a `new_member_commit` sender.
    /// - Parameters:
    ///   - leafNode: the joiner's leaf; its keys, source and signature are replaced.
    ///   - removing: the joiner's own old leaf, when rejoining after losing state.
    public static func joinByExternalCommit<R: RandomNumberGenerator>(
        groupInfo: GroupInfo, ratchetTree: RatchetTreeNodes? = nil, leafNode: LeafNode, signer: SignaturePrivateKey,
        removing oldLeaf: LeafIndex? = nil, configuration: GroupConfiguration = .default, using generator: inout R
    ) throws -> (group: Group, commit: MLSMessage) {
        let provider = try CipherSuiteProvider(groupInfo.groupContext.cipherSuite)
        var tree = try verifiedTree(provider, groupInfo: groupInfo, supplied: ratchetTree)
        guard let externalExtension = groupInfo.extensions.first(where: { $0.type == .externalPub }) else {
            throw MLSError.badInput(.invalidValue, "the GroupInfo has no external_pub extension", rfc: "§12.4.3.2")
        }
        let externalPub = try HPKEPublicKey(decoding: externalExtension.data)
        let (kemOutput, initSecret) = try provider.hpkeExportSender(externalPub, info: [], exporterContext: Array("MLS 1.0 external init secret".utf8),
                                                                     length: provider.hashLength)
        var proposals: [ProposalOrRef] = [.proposal(.externalInit(kemOutput: kemOutput))]
        if let oldLeaf {
            guard tree.leaf(oldLeaf) != nil else { throw MLSError.misuse(.invalidValue, "the leaf to remove is blank", rfc: "§12.4.3.2") }
            proposals.append(.proposal(.remove(oldLeaf)))
            tree.remove(oldLeaf)
        }
        let oldContext = groupInfo.groupContext
        var newContext = oldContext
        newContext.epoch += 1
        let myLeaf = tree.add(leafNode)
        let created = try tree.createUpdatePath(provider, from: myLeaf, leafNode: leafNode, signer: signer, context: &newContext,
                                                excluding: [], using: &generator)
        let commit = Commit(proposals: proposals, path: created.updatePath)
        let content = FramedContent(groupID: oldContext.groupID, epoch: oldContext.epoch, sender: .newMemberCommit, authenticatedData: [],
                                    content: .commit(commit))
        let signature = try provider.sign(AuthenticatedContent.signContent(wireFormat: .publicMessage, content: content, context: oldContext), with: signer)
        let interimBefore = TranscriptHashes.interim(provider, confirmed: oldContext.confirmedTranscriptHash, confirmationTag: groupInfo.confirmationTag)
        let confirmed = TranscriptHashes.confirmed(provider, interimBefore: interimBefore, commit: AuthenticatedContent(
            wireFormat: .publicMessage, content: content, auth: FramedContentAuthData(signature: signature, confirmationTag: nil)))
        newContext.confirmedTranscriptHash = confirmed
        let schedule = KeySchedule.derive(provider, initSecret: initSecret, commitSecret: created.commitSecret, pskSecret: nil, groupContext: newContext)
        let tag = schedule.epoch.confirmationTag(provider, confirmedTranscriptHash: confirmed)
        let message = MLSMessage.publicMessage(PublicMessage(content: content, auth: FramedContentAuthData(signature: signature, confirmationTag: tag),
                                                             membershipTag: nil))
        var group = Group(provider: provider, context: newContext, tree: tree, myLeaf: myLeaf, configuration: configuration,
                          privateKey: created.privateKey, signer: signer,
                          interimTranscriptHash: TranscriptHashes.interim(provider, confirmed: confirmed, confirmationTag: tag),
                          confirmationTag: tag, epochSecrets: schedule.epoch,
                          secretTree: SecretTree(provider, encryptionSecret: schedule.epoch.encryptionSecret, leafCount: tree.leafCount,
                                                 configuration: configuration.secretTree))
        group.rememberResumptionPSK()
        return (group, message)
    }
}
