/// The versioned, serialized form of a member's group state, so a client can store it
/// atomically after each step and load it again (docs/mls.md, "Stored state").
///
/// Layout (TLS presentation language, §2.1 of RFC 9420), version 2:
/// ```
/// uint16 format_version = 2
/// GroupContext context; optional<Node> tree<V>; uint32 my_leaf; uint8 is_active
/// Configuration (uint32 forward, uint32 retained, uint32 past_epochs, uint32 resumption_psks)
/// PrivateKeys { uint32 node; opaque key<V>; }<V>; opaque signer<V>; opaque interim<V>; opaque confirmation_tag<V>
/// EpochSecrets (9 × opaque<V>); SecretTreeState
/// PendingProposal { opaque ref<V>; Proposal; Sender; }<V>
/// PastEpoch { GroupContext; SecretTreeState; opaque sender_data_secret<V>; optional<Node> tree<V>; }<V>
/// { uint64 epoch; opaque psk<V>; }<V>            resumption PSKs
/// { HPKEPublicKey; opaque private<V>; }<V>       keys of proposed Updates
/// optional<ReInit> reinit                         the committed ReInit (version 2 only)
/// ```
/// Version 1 is version 2 without the last field; it still loads (as a group without a ReInit).
/// The bytes hold every secret of the group: store them only inside encrypted storage.
extension Group {
    /// The current format version of ``serialized()``.
    public static let stateFormatVersion: UInt16 = 2

    /// The group state as versioned bytes.
    public func serialized() -> SecretBytes {
        var e = TLSEncoder(capacity: 4096)
        e.write(Self.stateFormatVersion)
        e.write(context)
        e.write(tree.wire)
        e.write(myLeaf.rawValue)
        e.write(UInt8(isActive ? 1 : 0))
        e.write(configuration.secretTree.maximumForwardDistance)
        e.write(UInt32(clamping: configuration.secretTree.maximumRetainedKeys))
        e.write(UInt32(clamping: configuration.pastEpochsKept))
        e.write(UInt32(clamping: configuration.resumptionPSKsKept))
        e.writeVector { inner in
            for node in privateKey.nodes {
                inner.write(node.rawValue)
                inner.writeOpaque(privateKey.keys[node]?.secret.bytes ?? [])
            }
        }
        e.writeOpaque(signer.rawRepresentation.bytes)
        e.writeOpaque(interimTranscriptHash)
        e.writeOpaque(confirmationTag)
        Self.write(epochSecrets, to: &e)
        secretTree.write(to: &e)
        e.writeVector { inner in
            for pending in pendingProposals {
                inner.writeOpaque(pending.reference)
                inner.write(pending.proposal)
                inner.write(pending.sender)
            }
        }
        e.writeVector { inner in
            for epoch in pastEpochs.keys.sorted() {
                guard let past = pastEpochs[epoch] else { continue }
                inner.write(past.context)
                past.secretTree.write(to: &inner)
                inner.writeOpaque(past.senderDataSecret.bytes)
                inner.write(past.tree.wire)
            }
        }
        e.writeVector { inner in
            for epoch in resumptionPSKs.keys.sorted() {
                inner.write(epoch)
                inner.writeOpaque(resumptionPSKs[epoch]?.bytes ?? [])
            }
        }
        e.writeVector { inner in
            for (publicKey, privateKey) in pendingLeafKeys.sorted(by: { $0.key.bytes.lexicographicallyPrecedes($1.key.bytes) }) {
                inner.write(publicKey)
                inner.writeOpaque(privateKey.secret.bytes)
            }
        }
        e.writeOptional(reInit) { reInit, inner in reInit.proposal.encodeBody(to: &inner) }
        return SecretBytes(e.bytes)
    }

    /// Loads a state written by ``serialized()``.
    /// - Throws: ``MLSError`` `.unsupportedVersion` for an unknown format version, or a codec error.
    public init(serialized: SecretBytes) throws {
        var d = TLSDecoder(serialized.bytes)
        let version = try d.readUInt16("format_version")
        guard version == 1 || version == Self.stateFormatVersion else {
            throw MLSError(.unsupportedVersion, .unsupported, "stored group state has format version \(version); this build reads \(Self.stateFormatVersion)")
        }
        let context = try d.read(GroupContext.self)
        let provider = try CipherSuiteProvider(context.cipherSuite)
        let tree = try RatchetTree(try d.read(RatchetTreeNodes.self))
        let myLeaf = LeafIndex(try d.readUInt32("my_leaf"))
        let isActive = try d.readUInt8("is_active") == 1
        let forward = try d.readUInt32("forward"), retained = Int(try d.readUInt32("retained"))
        let past = Int(try d.readUInt32("past_epochs")), resumption = Int(try d.readUInt32("resumption_psks"))
        let configuration = GroupConfiguration(secretTree: .init(maximumForwardDistance: forward, maximumRetainedKeys: retained),
                                               pastEpochsKept: past, resumptionPSKsKept: resumption)
        var privateKey = TreeKEMPrivateKey(leaf: myLeaf, encryptionKey: HPKEPrivateKey(SecretBytes([])))
        privateKey.keys = [:]
        try d.readVector("private_keys") { inner in
            while !inner.isAtEnd {
                let node = NodeIndex(try inner.readUInt32("node"))
                privateKey.keys[node] = HPKEPrivateKey(SecretBytes(try inner.readOpaque("key")))
            }
        }
        self.provider = provider
        self.context = context
        self.tree = tree
        self.myLeaf = myLeaf
        self.isActive = isActive
        self.configuration = configuration
        self.privateKey = privateKey
        self.signer = try provider.signaturePrivateKey(try d.readOpaque("signer"))
        self.interimTranscriptHash = try d.readOpaque("interim")
        self.confirmationTag = try d.readOpaque("confirmation_tag")
        self.epochSecrets = try Self.readEpochSecrets(&d)
        self.secretTree = try SecretTree(provider, from: &d, configuration: configuration.secretTree)
        self.pendingProposals = try d.readVector("pending_proposals") { inner in
            var list: [PendingProposal] = []
            while !inner.isAtEnd {
                list.append(PendingProposal(reference: try inner.readOpaque("ref"), proposal: try inner.read(), sender: try inner.read()))
            }
            return list
        }
        self.pastEpochs = try d.readVector("past_epochs") { inner in
            var epochs: [UInt64: PastEpoch] = [:]
            while !inner.isAtEnd {
                let pastContext = try inner.read(GroupContext.self)
                let tree = try SecretTree(provider, from: &inner, configuration: configuration.secretTree)
                let senderData = SecretBytes(try inner.readOpaque("sender_data_secret"))
                let pastTree = try RatchetTree(try inner.read(RatchetTreeNodes.self))
                epochs[pastContext.epoch] = PastEpoch(context: pastContext, secretTree: tree, senderDataSecret: senderData, tree: pastTree)
            }
            return epochs
        }
        self.resumptionPSKs = try d.readVector("resumption_psks") { inner in
            var psks: [UInt64: SecretBytes] = [:]
            while !inner.isAtEnd { psks[try inner.readUInt64("epoch")] = SecretBytes(try inner.readOpaque("psk")) }
            return psks
        }
        self.pendingLeafKeys = try d.readVector("pending_leaf_keys") { inner in
            var keys: [HPKEPublicKey: HPKEPrivateKey] = [:]
            while !inner.isAtEnd { keys[try inner.read()] = HPKEPrivateKey(SecretBytes(try inner.readOpaque("private"))) }
            return keys
        }
        if version >= 2 {
            self.reInit = try d.readOptional("reinit") { inner in
                ReInit(groupID: try inner.readOpaque("group_id"), version: try inner.read(), cipherSuite: try inner.read(),
                       extensions: try inner.readVector("extensions"))
            }
        }
        try d.finish("group state")
    }

    private static func write(_ s: EpochSecrets, to e: inout TLSEncoder) {
        for secret in [s.senderDataSecret, s.encryptionSecret, s.exporterSecret, s.externalSecret, s.confirmationKey,
                       s.membershipKey, s.resumptionPSK, s.epochAuthenticator, s.initSecret] {
            e.writeOpaque(secret.bytes)
        }
    }

    private static func readEpochSecrets(_ d: inout TLSDecoder) throws -> EpochSecrets {
        func next() throws -> SecretBytes { SecretBytes(try d.readOpaque("epoch_secret")) }
        return EpochSecrets(senderDataSecret: try next(), encryptionSecret: try next(), exporterSecret: try next(),
                            externalSecret: try next(), confirmationKey: try next(), membershipKey: try next(),
                            resumptionPSK: try next(), epochAuthenticator: try next(), initSecret: try next())
    }
}

extension SecretTree {
    /// Writes the tree's remaining node secrets and ratchets.
    func write(to e: inout TLSEncoder) {
        e.write(leafCount)
        e.writeVector { inner in
            for node in nodeSecrets.keys.sorted() {
                inner.write(node)
                inner.writeOpaque(nodeSecrets[node] ?? [])
            }
        }
        for ratchets in [handshake, application] {
            e.writeVector { inner in
                for leaf in ratchets.keys.sorted() {
                    guard let ratchet = ratchets[leaf] else { continue }
                    inner.write(leaf)
                    inner.write(ratchet.nextGeneration)
                    inner.write(UInt8(ratchet.isExhausted ? 1 : 0))
                    inner.writeOpaque(ratchet.secret)
                    inner.writeVector { keys in
                        for key in ratchet.retained {
                            keys.write(key.generation)
                            keys.writeOpaque(key.key.bytes)
                            keys.writeOpaque(key.nonce.bytes)
                        }
                    }
                }
            }
        }
    }

    /// Reads a tree written by ``write(to:)``.
    init(_ provider: CipherSuiteProvider, from d: inout TLSDecoder, configuration: Configuration) throws {
        let leafCount = try d.readUInt32("leaf_count")
        self.init(provider, encryptionSecret: SecretBytes([]), leafCount: leafCount, configuration: configuration)
        nodeSecrets = try d.readVector("node_secrets") { inner in
            var secrets: [UInt32: [UInt8]] = [:]
            while !inner.isAtEnd { secrets[try inner.readUInt32("node")] = try inner.readOpaque("secret") }
            return secrets
        }
        func readRatchets() throws -> [UInt32: HashRatchet] {
            try d.readVector("ratchets") { inner in
                var ratchets: [UInt32: HashRatchet] = [:]
                while !inner.isAtEnd {
                    let leaf = try inner.readUInt32("leaf")
                    let next = try inner.readUInt32("next_generation")
                    let exhausted = try inner.readUInt8("exhausted") == 1
                    var ratchet = HashRatchet(secret: try inner.readOpaque("secret"))
                    ratchet.nextGeneration = next
                    ratchet.isExhausted = exhausted
                    ratchet.retained = try inner.readVector("retained") { keys in
                        var list: [RatchetKey] = []
                        while !keys.isAtEnd {
                            list.append(RatchetKey(generation: try keys.readUInt32("generation"), key: SecretBytes(try keys.readOpaque("key")),
                                                   nonce: SecretBytes(try keys.readOpaque("nonce"))))
                        }
                        return list
                    }
                    ratchets[leaf] = ratchet
                }
                return ratchets
            }
        }
        handshake = try readRatchets()
        application = try readRatchets()
    }
}
