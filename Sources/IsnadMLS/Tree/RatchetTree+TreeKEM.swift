/// What creating an UpdatePath yields for the committer (§7.5, §7.6).
public struct CreatedUpdatePath: Sendable {
    /// The UpdatePath to put in the Commit.
    public let updatePath: UpdatePath
    /// `DeriveSecret(path_secret[n], "path")` above the root: the commit secret (§8).
    public let commitSecret: SecretBytes
    /// The committer's private keys after the update.
    public let privateKey: TreeKEMPrivateKey
    /// The path secret of each node of the filtered direct path, for new members' Welcomes.
    public let pathSecrets: [(node: NodeIndex, secret: SecretBytes)]
}

/// What a member learns from a received UpdatePath (§7.5).
public struct DecryptedUpdatePath: Sendable {
    /// The lowest node of the sender's filtered direct path above this member.
    public let node: NodeIndex
    /// The path secret decrypted for that node.
    public let pathSecret: SecretBytes
    /// The commit secret derived from it.
    public let commitSecret: SecretBytes
}

extension RatchetTree {
    // MARK: Creating an UpdatePath (committer)

    /// Replaces the committer's leaf and filtered direct path with fresh keys and sets the new
    /// parent hashes (§7.4, §7.5, §7.9), then encrypts each path secret to the resolution of
    /// the copath child, leaving out `excluding` (members added by the same commit).
    ///
    /// - Parameters:
    ///   - leafNode: the committer's new leaf: its fields are kept but its source, encryption key
    ///     and signature are replaced.
    ///   - context: the provisional GroupContext; its tree hash is replaced by this tree's hash
    ///     after the update, which is the context the path secrets are encrypted under.
    /// - Returns: the UpdatePath, commit secret and new private keys. `self` is updated.
    public mutating func createUpdatePath<R: RandomNumberGenerator>(
        _ provider: CipherSuiteProvider, from sender: LeafIndex, leafNode: LeafNode, signer: SignaturePrivateKey,
        context: inout GroupContext, excluding newMembers: [LeafIndex], using generator: inout R
    ) throws -> CreatedUpdatePath {
        guard leaf(sender) != nil else {
            throw MLSError.misuse(.invalidSender, "\(sender) is blank and cannot commit an UpdatePath", rfc: "§7.5")
        }
        blankDirectPath(sender)
        let filtered = filteredDirectPath(sender)

        // leaf_secret → leaf key; path_secret[0] = DeriveSecret(leaf_secret, "path"), and so on up.
        // The secrets form a chain; the key pairs derived from them (one scalar multiplication
        // each) are independent and computed on all cores.
        let leafSecret = randomBytes(provider.hashLength, using: &generator)
        var secrets = [leafSecret]
        for _ in filtered { secrets.append(provider.deriveSecret(secrets[secrets.count - 1], label: "path")) }
        let commitSecret = SecretBytes(provider.deriveSecret(secrets[secrets.count - 1], label: "path"))
        let keyPairs = try ParallelWork.map(secrets.count) { [secrets] in try provider.deriveKeyPair(ikm: provider.deriveSecret(secrets[$0], label: "node")) }
        let leafKey = keyPairs[0]
        var privateKey = TreeKEMPrivateKey(leaf: sender, encryptionKey: leafKey.privateKey)
        var pathSecrets: [(NodeIndex, SecretBytes)] = []
        var publicKeys: [HPKEPublicKey] = []
        for (level, (node, _)) in filtered.enumerated() {
            privateKey.keys[node] = keyPairs[level + 1].privateKey
            pathSecrets.append((node, SecretBytes(secrets[level + 1])))
            publicKeys.append(keyPairs[level + 1].publicKey)
        }

        var newLeaf = leafNode
        newLeaf.encryptionKey = leafKey.publicKey
        let leafParentHash = setPathNodes(provider, filtered: filtered, publicKeys: publicKeys)
        newLeaf.source = .commit(parentHash: leafParentHash)
        try newLeaf.sign(provider, with: signer, groupID: context.groupID, leafIndex: sender)
        setNode(.leaf(newLeaf), at: sender.nodeIndex)

        context.treeHash = treeHash(provider)
        let encodedContext = context.encoded
        let excluded = Set(newMembers.map(\.nodeIndex))
        // Every path secret to every node of its copath child's resolution, sealed in one batch
        // (one HPKE key schedule, spread over the cores), then regrouped by level.
        var recipientKeys: [HPKEPublicKey] = [], plaintexts: [[UInt8]] = [], counts: [Int] = []
        for ((_, copathChild), (_, secret)) in zip(filtered, pathSecrets) {
            let recipients = resolution(copathChild).filter { !excluded.contains($0) }
            for recipient in recipients {
                recipientKeys.append(try encryptionKey(at: recipient))
                plaintexts.append(secret.bytes)
            }
            counts.append(recipients.count)
        }
        let ciphertexts = try provider.encryptWithLabel(recipientKeys, label: "UpdatePathNode", context: encodedContext, plaintexts: plaintexts)
        var pathNodes: [UpdatePathNode] = []
        var start = 0
        for count in counts {
            pathNodes.append(UpdatePathNode(encryptionKey: publicKeys[pathNodes.count], encryptedPathSecret: Array(ciphertexts[start..<(start + count)])))
            start += count
        }
        return CreatedUpdatePath(updatePath: UpdatePath(leafNode: newLeaf, nodes: pathNodes), commitSecret: commitSecret,
                                 privateKey: privateKey, pathSecrets: pathSecrets)
    }

    /// Sets the filtered direct path's parent nodes to the new keys with empty unmerged lists,
    /// computing parent hashes from the root down (§7.9); returns the parent hash for the leaf.
    private mutating func setPathNodes(_ provider: CipherSuiteProvider, filtered: [(node: NodeIndex, copathChild: NodeIndex)],
                                       publicKeys: [HPKEPublicKey]) -> [UInt8] {
        var parentHash: [UInt8] = []
        for index in filtered.indices.reversed() {
            let (node, copathChild) = filtered[index]
            setNode(.parent(ParentNode(encryptionKey: publicKeys[index], parentHash: parentHash, unmergedLeaves: [])), at: node)
            parentHash = self.parentHash(provider, of: node, sibling: copathChild) ?? []
        }
        return parentHash
    }

    /// The public encryption key of a non-blank node.
    func encryptionKey(at node: NodeIndex) throws -> HPKEPublicKey {
        switch nodes[Int(node.rawValue)] {
        case .leaf(let leaf): return leaf.encryptionKey
        case .parent(let parent): return parent.encryptionKey
        case nil: throw MLSError(.invalidKey, .internal, "node \(node.rawValue) in a resolution is blank")
        }
    }

    // MARK: Processing an UpdatePath (other members)

    /// Merges a received UpdatePath into the tree (§7.5): checks its shape and the new leaf,
    /// blanks the sender's direct path, sets the new keys and parent hashes, and verifies that
    /// the leaf's `parent_hash` matches.
    /// - Throws: ``MLSError`` `.invalidValue` for a path of the wrong length or a parent-hash
    ///   mismatch, `.invalidSignature` for a leaf whose signature does not verify.
    public mutating func merge(_ provider: CipherSuiteProvider, updatePath: UpdatePath, from sender: LeafIndex, groupID: [UInt8]) throws {
        guard leaf(sender) != nil else {
            throw MLSError.badInput(.invalidSender, "the UpdatePath's sender \(sender) is blank", rfc: "§7.5")
        }
        guard case .commit(let leafParentHash) = updatePath.leafNode.source else {
            throw MLSError.badInput(.invalidValue, "the UpdatePath's leaf node does not have source commit", rfc: "§7.3")
        }
        guard updatePath.leafNode.verifySignature(provider, groupID: groupID, leafIndex: sender) else {
            throw MLSError.badInput(.invalidSignature, "the UpdatePath's leaf node signature does not verify", rfc: "§7.3")
        }
        blankDirectPath(sender)
        let filtered = filteredDirectPath(sender)
        guard filtered.count == updatePath.nodes.count else {
            throw MLSError.badInput(.invalidValue, "the UpdatePath has \(updatePath.nodes.count) nodes; the filtered direct path has \(filtered.count)", rfc: "§7.6")
        }
        for (index, (_, copathChild)) in filtered.enumerated() {
            let expected = resolution(copathChild).count
            guard updatePath.nodes[index].encryptedPathSecret.count <= expected else {
                throw MLSError.badInput(.invalidValue, "UpdatePath node \(index) has more ciphertexts than its copath resolution", rfc: "§7.6")
            }
        }
        let computed = setPathNodes(provider, filtered: filtered, publicKeys: updatePath.nodes.map(\.encryptionKey))
        guard constantTimeEquals(computed, leafParentHash) else {
            throw MLSError.badInput(.invalidValue, "the committer's leaf parent_hash does not match the UpdatePath", rfc: "§7.9.2")
        }
        setNode(.leaf(updatePath.leafNode), at: sender.nodeIndex)
    }

    /// Decrypts the path secret a member is owed from a merged UpdatePath and derives the rest
    /// of the path (§7.5): updates `privateKey` and returns the path and commit secrets.
    /// - Parameters:
    ///   - context: the provisional GroupContext, whose tree hash is this (merged) tree's.
    ///   - newMembers: leaves added by the same commit, left out of resolutions.
    /// - Throws: ``MLSError`` `.decryptionFailed`, or `.invalidKey` if a derived public key
    ///   differs from the one in the UpdatePath.
    public func decryptPathSecret(_ provider: CipherSuiteProvider, updatePath: UpdatePath, from sender: LeafIndex,
                                  privateKey: inout TreeKEMPrivateKey, context: GroupContext,
                                  excluding newMembers: [LeafIndex]) throws -> DecryptedUpdatePath {
        let filtered = filteredDirectPath(sender)
        let me = privateKey.leaf.nodeIndex
        guard let start = filtered.firstIndex(where: { TreeMath.isAncestor($0.copathChild, of: me) }) else {
            throw MLSError.misuse(.invalidSender, "this member is not below the sender's filtered direct path", rfc: "§7.5")
        }
        let excluded = Set(newMembers.map(\.nodeIndex))
        let recipients = resolution(filtered[start].copathChild).filter { !excluded.contains($0) }
        guard let position = recipients.firstIndex(where: { privateKey.keys[$0] != nil }), let key = privateKey.keys[recipients[position]] else {
            throw MLSError.badInput(.decryptionFailed, "no node of the copath resolution holds a key this member has", rfc: "§7.5")
        }
        let ciphertexts = updatePath.nodes[start].encryptedPathSecret
        guard position < ciphertexts.count else {
            throw MLSError.badInput(.invalidValue, "the UpdatePath lacks a ciphertext for this member's resolution node", rfc: "§7.6")
        }
        let decrypted = try provider.decryptWithLabel(key, label: "UpdatePathNode", context: context.encoded,
                                                       kemOutput: ciphertexts[position].kemOutput, ciphertext: ciphertexts[position].ciphertext)
        // Outdated keys on the sender's direct path go (§7.5, deletion); new ones come in. The
        // caller's keys change only once everything has been derived and checked.
        var updated = privateKey
        var pathSecret = decrypted
        for node in TreeMath.directPath(sender.nodeIndex, leafCount: leafCount) { updated.keys[node] = nil }
        for index in start..<filtered.count {
            let pair = try provider.deriveKeyPair(ikm: provider.deriveSecret(pathSecret, label: "node"))
            guard pair.publicKey == updatePath.nodes[index].encryptionKey else {
                throw MLSError.badInput(.invalidKey, "a public key derived from the path secret differs from the UpdatePath's", rfc: "§7.5")
            }
            updated.keys[filtered[index].node] = pair.privateKey
            pathSecret = provider.deriveSecret(pathSecret, label: "path")
        }
        privateKey = updated
        return DecryptedUpdatePath(node: filtered[start].node, pathSecret: SecretBytes(decrypted), commitSecret: SecretBytes(pathSecret))
    }
}
