import IsnadMLS

extension Checks {
    /// Decodes `bytes` with `decode`, which must consume them all, and re-encodes them with `encode`.
    static func roundTrip(_ bytes: [UInt8], _ field: String,
                          decode: (inout TLSDecoder) throws -> Void, encoded: () -> [UInt8]) throws {
        var decoder = TLSDecoder(bytes)
        try decode(&decoder)
        try decoder.finish(field)
        try expectEqual(encoded(), bytes, "\(field) re-encoding")
    }

    static func roundTrip<T: MLSCodable>(_ type: T.Type, _ vector: VectorCase, _ field: String) throws {
        let bytes = try vector.hex(field)
        let value = try T(decoding: bytes)
        try expectEqual(value.encoded, bytes, "\(field) re-encoding")
    }

    static func roundTripProposal(_ type: ProposalType, _ vector: VectorCase, _ field: String) throws {
        let bytes = try vector.hex(field)
        var decoder = TLSDecoder(bytes)
        let proposal = try Proposal.decodeBody(type, from: &decoder)
        try decoder.finish(field)
        var encoder = TLSEncoder()
        proposal.encodeBody(to: &encoder)
        try expectEqual(encoder.bytes, bytes, "\(field) re-encoding")
    }

    /// Messages: every structure decodes and re-encodes to the same bytes.
    static let messages: @Sendable (VectorCase) throws -> CaseOutcome = { vector in
        for (field, format) in [("mls_welcome", WireFormat.welcome), ("mls_group_info", .groupInfo), ("mls_key_package", .keyPackage),
                                ("public_message_application", .publicMessage), ("public_message_proposal", .publicMessage),
                                ("public_message_commit", .publicMessage), ("private_message", .privateMessage)] {
            let bytes = try vector.hex(field)
            let message = try MLSMessage(decoding: bytes)
            try expect(message.wireFormat == format, "\(field) has wire format \(message.wireFormat.rawValue)")
            try expectEqual(message.encoded, bytes, "\(field) re-encoding")
        }
        try roundTrip(RatchetTreeNodes.self, vector, "ratchet_tree")
        try roundTrip(GroupSecrets.self, vector, "group_secrets")
        try roundTrip(Commit.self, vector, "commit")
        for (field, type) in [("add_proposal", ProposalType.add), ("update_proposal", .update), ("remove_proposal", .remove),
                              ("pre_shared_key_proposal", .psk), ("re_init_proposal", .reinit),
                              ("external_init_proposal", .externalInit), ("group_context_extensions_proposal", .groupContextExtensions)] {
            try roundTripProposal(type, vector, field)
        }
        return .passed
    }

    /// Message Protection: the given PublicMessages and PrivateMessages unprotect to the raw
    /// proposal, commit and application data, and our own protection round-trips.
    static let messageProtection: @Sendable (VectorCase) throws -> CaseOutcome = { vector in
        let provider = try Checks.provider(vector)
        let context = GroupContext(cipherSuite: provider.suite, groupID: try vector.hex("group_id"), epoch: try vector.integer("epoch"),
                                   treeHash: try vector.hex("tree_hash"), confirmedTranscriptHash: try vector.hex("confirmed_transcript_hash"))
        let signer = try provider.signaturePrivateKey(try vector.hex("signature_priv"))
        let signatureKey = SignaturePublicKey(try vector.hex("signature_pub"))
        try expect(signer.publicKey == signatureKey, "signature_priv does not match signature_pub")
        let membershipKey = SecretBytes(try vector.hex("membership_key"))
        let senderDataSecret = SecretBytes(try vector.hex("sender_data_secret"))
        let encryptionSecret = SecretBytes(try vector.hex("encryption_secret"))
        let sender = LeafIndex(1)
        var generator = SystemRandomNumberGenerator()

        func makeTree() -> SecretTree { SecretTree(provider, encryptionSecret: encryptionSecret, leafCount: 2) }
        func open(_ bytes: [UInt8], _ tree: inout SecretTree) throws -> VerifiedContent {
            switch try MLSMessage(decoding: bytes) {
            case .publicMessage(let message):
                return try message.unprotect(provider, context: context, membershipKey: membershipKey)
                    .verifySignature(provider, publicKey: signatureKey, context: context)
            case .privateMessage(let message):
                return try message.decrypt(provider, context: context, secretTree: &tree, senderDataSecret: senderDataSecret)
                    .verifySignature(provider, publicKey: signatureKey, context: context)
            default:
                throw CheckFailure("expected a PublicMessage or PrivateMessage")
            }
        }

        let proposal = try Proposal(decoding: try vector.hex("proposal"))
        let commit = try Commit(decoding: try vector.hex("commit"))
        let contents: [(String, Content)] = [("proposal", .proposal(proposal)), ("commit", .commit(commit)),
                                             ("application", .application(try vector.hex("application")))]
        for (name, content) in contents {
            // The given messages.
            if name != "application" {
                var tree = makeTree()
                let verified = try open(try vector.hex("\(name)_pub"), &tree)
                try expect(verified.authenticatedContent.content.content == content, "\(name)_pub content differs")
            }
            var receiverTree = makeTree()
            let verified = try open(try vector.hex("\(name)_priv"), &receiverTree)
            try expect(verified.authenticatedContent.content.content == content, "\(name)_priv content differs")

            // Our own protection.
            let framed = FramedContent(groupID: context.groupID, epoch: context.epoch, sender: .member(sender),
                                       authenticatedData: [], content: content)
            let tag: [UInt8]? = name == "commit" ? provider.mac(key: membershipKey.bytes, data: context.confirmedTranscriptHash) : nil
            if name == "application" {
                do {
                    _ = try PublicMessage.protect(provider, content: framed, signer: signer, context: context, membershipKey: membershipKey)
                    throw CheckFailure("protecting an application message as a PublicMessage succeeded")
                } catch let error as MLSError where error.code == .applicationMessageNotEncrypted {}
            } else {
                let message = try PublicMessage.protect(provider, content: framed, signer: signer, context: context,
                                                        membershipKey: membershipKey, confirmationTag: tag)
                var tree = makeTree()
                let reopened = try open(MLSMessage.publicMessage(message).encoded, &tree)
                try expect(reopened.authenticatedContent.content == framed, "our \(name) PublicMessage does not round-trip")
            }
            var senderTree = makeTree()
            let sealed = try PrivateMessage.protect(provider, content: framed, signer: signer, context: context, secretTree: &senderTree,
                                                    senderDataSecret: senderDataSecret, confirmationTag: tag, paddingLength: 7,
                                                    using: &generator)
            var freshTree = makeTree()
            let reopened = try open(MLSMessage.privateMessage(sealed).encoded, &freshTree)
            try expect(reopened.authenticatedContent.content == framed, "our \(name) PrivateMessage does not round-trip")
        }
        return .passed
    }

    /// Welcome: find our entry, decrypt the group secrets and the GroupInfo, verify its
    /// signature and its confirmation tag from a key schedule started at the joiner secret.
    static let welcome: @Sendable (VectorCase) throws -> CaseOutcome = { vector in
        let provider = try Checks.provider(vector)
        guard case .keyPackage(let keyPackage) = try MLSMessage(decoding: try vector.hex("key_package")),
              case .welcome(let welcome) = try MLSMessage(decoding: try vector.hex("welcome")) else {
            throw CheckFailure("key_package or welcome has the wrong wire format")
        }
        let reference = provider.makeKeyPackageRef(keyPackage.encoded)
        guard let entry = welcome.secrets.first(where: { $0.newMember == reference }) else {
            throw CheckFailure("no entry of the Welcome names the KeyPackage's reference")
        }
        let initKey = HPKEPrivateKey(SecretBytes(try vector.hex("init_priv")))
        try expect(try provider.hpkePublicKey(for: initKey) == keyPackage.initKey, "init_priv does not match the KeyPackage's init key")
        let secretsBytes = try provider.decryptWithLabel(initKey, label: "Welcome", context: welcome.encryptedGroupInfo,
                                                         kemOutput: entry.encryptedGroupSecrets.kemOutput,
                                                         ciphertext: entry.encryptedGroupSecrets.ciphertext)
        let groupSecrets = try GroupSecrets(decoding: secretsBytes)
        let welcomeSecret = KeySchedule.welcomeSecret(provider, joinerSecret: groupSecrets.joinerSecret, pskSecret: nil)
        let (key, nonce) = KeySchedule.welcomeKeyAndNonce(provider, welcomeSecret: welcomeSecret)
        let groupInfoBytes = try provider.open(key: key.bytes, nonce: nonce, aad: [], ciphertext: welcome.encryptedGroupInfo)
        let groupInfo = try GroupInfo(decoding: groupInfoBytes)
        try expect(provider.verifyWithLabel(SignaturePublicKey(try vector.hex("signer_pub")), label: "GroupInfoTBS",
                                            content: groupInfo.toBeSigned, signature: groupInfo.signature),
                   "the GroupInfo signature does not verify with signer_pub")
        let epoch = KeySchedule.derive(provider, joinerSecret: groupSecrets.joinerSecret, pskSecret: nil, groupContext: groupInfo.groupContext)
        let tag = epoch.epoch.confirmationTag(provider, confirmedTranscriptHash: groupInfo.groupContext.confirmedTranscriptHash)
        try expect(constantTimeEquals(tag, groupInfo.confirmationTag), "the GroupInfo confirmation tag does not verify")
        return .passed
    }
}
