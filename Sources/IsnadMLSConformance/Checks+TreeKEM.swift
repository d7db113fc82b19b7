import IsnadMLS

extension Checks {
    /// TreeKEM: private states consistent with the tree; each UpdatePath merges (parent-hash
    /// valid), decrypts to the expected path secret and commit secret for every other member,
    /// gives the expected tree hash; and a new UpdatePath from the same sender is processed by
    /// every other member to the same commit secret.
    static let treeKEM: @Sendable (VectorCase) throws -> CaseOutcome = { vector in
        let provider = try Checks.provider(vector)
        let tree = try RatchetTree(try RatchetTreeNodes(decoding: try vector.hex("ratchet_tree")))
        let groupID = try vector.hex("group_id")
        let baseContext = GroupContext(cipherSuite: provider.suite, groupID: groupID, epoch: try vector.integer("epoch"),
                                       treeHash: [], confirmedTranscriptHash: try vector.hex("confirmed_transcript_hash"))
        var privateKeys: [LeafIndex: TreeKEMPrivateKey] = [:]
        var signers: [LeafIndex: SignaturePrivateKey] = [:]
        for entry in try vector.objects("leaves_private") {
            let leaf = LeafIndex(UInt32(try entry.integer("index")))
            var key = TreeKEMPrivateKey(leaf: leaf, encryptionKey: HPKEPrivateKey(SecretBytes(try entry.hex("encryption_priv"))))
            for secret in try entry.objects("path_secrets") {
                try key.setPathSecret(SecretBytes(try secret.hex("path_secret")), for: NodeIndex(UInt32(try secret.integer("node"))), provider)
            }
            try key.checkConsistent(with: tree, provider)
            privateKeys[leaf] = key
            signers[leaf] = try provider.signaturePrivateKey(try entry.hex("signature_priv"))
        }

        for (pathIndex, update) in try vector.objects("update_paths").enumerated() {
            let sender = LeafIndex(UInt32(try update.integer("sender")))
            let updatePath = try UpdatePath(decoding: try update.hex("update_path"))
            var merged = tree
            try merged.merge(provider, updatePath: updatePath, from: sender, groupID: groupID)
            var context = baseContext
            context.treeHash = merged.treeHash(provider)
            try expectEqual(context.treeHash, try update.hex("tree_hash_after"), "update path \(pathIndex) tree_hash_after")
            guard let expectedSecrets = try update.value("path_secrets") as? [Any] else { throw VectorFormatError("path_secrets is not an array") }
            let commitSecret = SecretBytes(try update.hex("commit_secret"))
            for (leaf, key) in privateKeys.sorted(by: { $0.key < $1.key }) where leaf != sender {
                var keyCopy = key
                let decrypted = try merged.decryptPathSecret(provider, updatePath: updatePath, from: sender, privateKey: &keyCopy,
                                                             context: context, excluding: [])
                try expect(decrypted.commitSecret == commitSecret, "update path \(pathIndex): \(leaf) derived another commit secret")
                guard let hex = expectedSecrets[Int(leaf.rawValue)] as? String, let expected = [UInt8](hexString: hex) else {
                    throw VectorFormatError("path_secrets[\(leaf.rawValue)] is missing")
                }
                try expect(decrypted.pathSecret == SecretBytes(expected), "update path \(pathIndex): \(leaf) decrypted another path secret")
            }

            // Our own UpdatePath from the same sender, processed by every other member.
            guard let senderKey = signers[sender], let oldLeaf = tree.leaf(sender) else { throw CheckFailure("no private state for sender \(sender)") }
            var committerTree = tree
            var ourContext = baseContext
            var generator = SystemRandomNumberGenerator()
            let created = try committerTree.createUpdatePath(provider, from: sender, leafNode: oldLeaf, signer: senderKey,
                                                             context: &ourContext, excluding: [], using: &generator)
            var receiverTree = tree
            try receiverTree.merge(provider, updatePath: created.updatePath, from: sender, groupID: groupID)
            try expectEqual(receiverTree.treeHash(provider), ourContext.treeHash, "update path \(pathIndex): our tree hash after merge")
            for (leaf, key) in privateKeys where leaf != sender {
                var keyCopy = key
                let decrypted = try receiverTree.decryptPathSecret(provider, updatePath: created.updatePath, from: sender, privateKey: &keyCopy,
                                                                   context: ourContext, excluding: [])
                try expect(decrypted.commitSecret == created.commitSecret, "update path \(pathIndex): \(leaf) derived another commit secret from our path")
            }
        }
        return .passed
    }
}
