extension KeyPackageBundle {
    /// The longest KeyPackage lifetime Isnad creates: 84 days (some implementations reject longer).
    public static let maximumLifetime: UInt64 = 84 * 24 * 3600

    /// Creates a KeyPackage with fresh init and encryption keys (§10), valid from one hour
    /// before `now` until `lifetime` seconds after it.
    /// - Parameters:
    ///   - now: the current time in seconds since the Unix epoch (the library has no clock).
    ///   - signer: the member's signing key; a fresh one is generated when `nil`.
    ///   - capabilities: what the client supports; by default the provider's suite and the
    ///     credential's type (the RFC's default extensions and proposals need no listing).
    public static func make<R: RandomNumberGenerator>(
        _ provider: CipherSuiteProvider, credential: Credential, signer: SignaturePrivateKey? = nil,
        now: UInt64, lifetime: UInt64 = maximumLifetime, extensions: [Extension] = [], capabilities: Capabilities? = nil,
        using generator: inout R
    ) throws -> KeyPackageBundle {
        let signer = signer ?? provider.generateSignatureKey(using: &generator)
        let encryption = try provider.generateHPKEKeyPair(using: &generator)
        let initKey = try provider.generateHPKEKeyPair(using: &generator)
        var leaf = LeafNode(encryptionKey: encryption.publicKey, signatureKey: signer.publicKey, credential: credential,
                            capabilities: capabilities ?? Capabilities(cipherSuites: [provider.suite], credentials: [credential.type]),
                            source: .keyPackage(Lifetime(notBefore: now > 3600 ? now - 3600 : 0, notAfter: now + min(lifetime, maximumLifetime))),
                            extensions: [], signature: [])
        try leaf.sign(provider, with: signer, groupID: [], leafIndex: LeafIndex(0))
        var keyPackage = KeyPackage(cipherSuite: provider.suite, initKey: initKey.publicKey, leafNode: leaf, extensions: extensions, signature: [])
        keyPackage.signature = try provider.signWithLabel(signer, label: "KeyPackageTBS", content: keyPackage.toBeSigned)
        return KeyPackageBundle(keyPackage: keyPackage, initPrivateKey: initKey.privateKey, encryptionPrivateKey: encryption.privateKey, signer: signer)
    }
}

extension Group {
    /// Creates a one-member group (§11): the creator's leaf from its KeyPackage, epoch 0, a
    /// random first epoch secret, and the interim transcript hash over an empty confirmed one.
    /// - Throws: ``MLSError`` `.misuse` when the creator's leaf does not support `extensions`
    ///   (each non-default one, and what a `required_capabilities` extension asks; §11.1, §13.4).
    public init<R: RandomNumberGenerator>(creating groupID: [UInt8], creator bundle: KeyPackageBundle, extensions: [Extension] = [],
                                          configuration: GroupConfiguration = .default, using generator: inout R) throws {
        let provider = try CipherSuiteProvider(bundle.keyPackage.cipherSuite)
        let requirements = try GroupRequirements(GroupContext(cipherSuite: provider.suite, groupID: groupID, epoch: 0, treeHash: [],
                                                              confirmedTranscriptHash: [], extensions: extensions))
        do {
            try requirements.check(bundle.keyPackage.leafNode)
        } catch let error as MLSError {
            throw MLSError.misuse(error.code, "the creator's own leaf must support the group's extensions: \(error.message)", rfc: "§13.4")
        }
        var tree = RatchetTree(leaf: bundle.keyPackage.leafNode)
        let context = GroupContext(cipherSuite: provider.suite, groupID: groupID, epoch: 0, treeHash: tree.treeHash(provider),
                                   confirmedTranscriptHash: [], extensions: extensions)
        let secrets = KeySchedule.epochSecrets(provider, epochSecret: SecretBytes(randomBytes(provider.hashLength, using: &generator)))
        let tag = secrets.confirmationTag(provider, confirmedTranscriptHash: [])
        self.provider = provider
        self.context = context
        self.tree = tree
        self.myLeaf = LeafIndex(0)
        self.configuration = configuration
        self.privateKey = TreeKEMPrivateKey(leaf: LeafIndex(0), encryptionKey: bundle.encryptionPrivateKey)
        self.signer = bundle.signer
        self.interimTranscriptHash = TranscriptHashes.interim(provider, confirmed: [], confirmationTag: tag)
        self.confirmationTag = tag
        self.epochSecrets = secrets
        self.secretTree = SecretTree(provider, encryptionSecret: secrets.encryptionSecret, leafCount: 1, configuration: configuration.secretTree)
        rememberResumptionPSK()
    }
}
