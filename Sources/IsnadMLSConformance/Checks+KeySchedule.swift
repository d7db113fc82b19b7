import IsnadMLS

extension Checks {
    /// Key Schedule: GroupContext encoding and every epoch secret, chained over the epochs,
    /// plus `external_pub = DeriveKeyPair(external_secret)` and the exporter.
    static let keySchedule: @Sendable (VectorCase) throws -> CaseOutcome = { vector in
        let provider = try Checks.provider(vector)
        let groupID = try vector.hex("group_id")
        var initSecret = SecretBytes(try vector.hex("initial_init_secret"))
        for (index, epoch) in try vector.objects("epochs").enumerated() {
            let context = GroupContext(cipherSuite: provider.suite, groupID: groupID, epoch: UInt64(index),
                                       treeHash: try epoch.hex("tree_hash"),
                                       confirmedTranscriptHash: try epoch.hex("confirmed_transcript_hash"))
            try expectEqual(context.encoded, try epoch.hex("group_context"), "epoch \(index) group_context")
            let output = KeySchedule.derive(provider, initSecret: initSecret, commitSecret: SecretBytes(try epoch.hex("commit_secret")),
                                            pskSecret: SecretBytes(try epoch.hex("psk_secret")), groupContext: context)
            let checks: [(SecretBytes, String)] = [
                (output.joinerSecret, "joiner_secret"), (output.welcomeSecret, "welcome_secret"),
                (output.epoch.initSecret, "init_secret"), (output.epoch.senderDataSecret, "sender_data_secret"),
                (output.epoch.encryptionSecret, "encryption_secret"), (output.epoch.exporterSecret, "exporter_secret"),
                (output.epoch.epochAuthenticator, "epoch_authenticator"), (output.epoch.externalSecret, "external_secret"),
                (output.epoch.confirmationKey, "confirmation_key"), (output.epoch.membershipKey, "membership_key"),
                (output.epoch.resumptionPSK, "resumption_psk"),
            ]
            for (secret, name) in checks {
                try expect(secret == SecretBytes(try epoch.hex(name)), "epoch \(index) \(name) differs")
            }
            try expect(try output.epoch.externalKeyPair(provider).publicKey == HPKEPublicKey(try epoch.hex("external_pub")),
                       "epoch \(index) external_pub differs")
            let exporter = try epoch.object("exporter")
            let exported = output.epoch.export(provider, label: Array(try exporter.string("label").utf8), context: try exporter.hex("context"),
                                               length: Int(try exporter.integer("length")))
            try expect(exported == SecretBytes(try exporter.hex("secret")), "epoch \(index) exporter secret differs")
            initSecret = output.epoch.initSecret
        }
        return .passed
    }

    /// Pre-Shared Keys: `psk_secret` from external PSKs with their IDs and nonces.
    static let pskSecret: @Sendable (VectorCase) throws -> CaseOutcome = { vector in
        let provider = try Checks.provider(vector)
        let inputs = try vector.objects("psks").map { psk in
            PreSharedKeyInput(id: PreSharedKeyID(kind: .external(pskID: try psk.hex("psk_id")), nonce: try psk.hex("psk_nonce")),
                              psk: SecretBytes(try psk.hex("psk")))
        }
        try expect(KeySchedule.pskSecret(provider, inputs) == SecretBytes(try vector.hex("psk_secret")), "psk_secret differs")
        return .passed
    }

    /// Transcript Hashes: the confirmation tag verifies, and both hashes update as specified.
    static let transcriptHashes: @Sendable (VectorCase) throws -> CaseOutcome = { vector in
        let provider = try Checks.provider(vector)
        let content = try AuthenticatedContent(decoding: try vector.hex("authenticated_content"))
        guard case .commit = content.content.content, let tag = content.auth.confirmationTag else {
            throw CheckFailure("authenticated_content does not carry a commit with a confirmation tag")
        }
        let confirmedAfter = try vector.hex("confirmed_transcript_hash_after")
        try expect(provider.verifyMAC(key: try vector.hex("confirmation_key"), data: confirmedAfter, tag: tag),
                   "confirmation_tag is not a valid MAC of confirmed_transcript_hash_after")
        let before = TranscriptHashes(confirmed: [], interim: try vector.hex("interim_transcript_hash_before"))
        let after = try before.updated(provider, with: content)
        try expectEqual(after.confirmed, confirmedAfter, "confirmed_transcript_hash_after")
        try expectEqual(after.interim, try vector.hex("interim_transcript_hash_after"), "interim_transcript_hash_after")
        return .passed
    }

    /// Secret Tree: sender-data key and nonce, and handshake/application keys and nonces of
    /// each leaf at the listed generations.
    static let secretTree: @Sendable (VectorCase) throws -> CaseOutcome = { vector in
        let provider = try Checks.provider(vector)
        let senderData = try vector.object("sender_data")
        let (key, nonce) = PrivateMessage.senderDataKeyAndNonce(provider, senderDataSecret: SecretBytes(try senderData.hex("sender_data_secret")),
                                                                ciphertext: try senderData.hex("ciphertext"))
        try expect(SecretBytes(key) == SecretBytes(try senderData.hex("key")), "sender_data key differs")
        try expect(SecretBytes(nonce) == SecretBytes(try senderData.hex("nonce")), "sender_data nonce differs")

        guard let leaves = try vector.value("leaves") as? [Any] else { throw VectorFormatError("\"leaves\" is not an array") }
        var tree = SecretTree(provider, encryptionSecret: SecretBytes(try vector.hex("encryption_secret")), leafCount: UInt32(leaves.count))
        for (leafIndex, entries) in leaves.enumerated() {
            guard let entries = entries as? [[String: Any]] else { throw VectorFormatError("a leaf of \"leaves\" is not an array of objects") }
            let leaf = LeafIndex(UInt32(leafIndex))
            for entry in entries.map(VectorCase.init) {
                let generation = UInt32(try entry.integer("generation"))
                let handshake = try tree.key(for: leaf, .handshake, generation: generation)
                let application = try tree.key(for: leaf, .application, generation: generation)
                try expect(handshake.key == SecretBytes(try entry.hex("handshake_key")), "leaf \(leafIndex) generation \(generation) handshake_key")
                try expect(handshake.nonce == SecretBytes(try entry.hex("handshake_nonce")), "leaf \(leafIndex) generation \(generation) handshake_nonce")
                try expect(application.key == SecretBytes(try entry.hex("application_key")), "leaf \(leafIndex) generation \(generation) application_key")
                try expect(application.nonce == SecretBytes(try entry.hex("application_nonce")), "leaf \(leafIndex) generation \(generation) application_nonce")
            }
        }
        return .passed
    }
}
