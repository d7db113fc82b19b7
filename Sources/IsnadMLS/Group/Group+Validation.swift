extension Group {
    /// Leaf-node checks of §7.3 that do not depend on the clock: signature, extensions listed
    /// in capabilities, credential type listed, the source expected where it appears, and
    /// support for the group's required capabilities.
    /// - Parameter now: seconds since the Unix epoch; when given, a leaf from a KeyPackage
    ///   must be within its lifetime (§7.3: a MUST for what this member sends, RECOMMENDED for
    ///   what it receives; leaves from Updates and commits carry no lifetime).
    func validateLeafNode(_ leaf: LeafNode, expected source: LeafNodeSource, leafIndex: LeafIndex?, context: GroupContext, now: UInt64? = nil) throws {
        guard leaf.source.kind == source else {
            throw MLSError.badInput(.invalidValue, "a leaf node has source \(leaf.source.kind), expected \(source)", rfc: "§7.3")
        }
        if let leafIndex {
            guard leaf.verifySignature(provider, groupID: context.groupID, leafIndex: leafIndex) else {
                throw MLSError.badInput(.invalidSignature, "the signature of the leaf node for \(leafIndex) does not verify", rfc: "§7.3")
            }
        }
        if case .x509(let certificates) = leaf.credential {
            guard !certificates.isEmpty, certificates.allSatisfy(Self.isDERSequence) else {
                throw MLSError.badInput(.invalidValue, "an x509 credential must carry one or more DER certificates", rfc: "§5.3")
            }
        }
        guard leaf.capabilities.credentials.contains(leaf.credential.type) else {
            throw MLSError.badInput(.invalidValue, "a leaf node's credential type is not listed in its capabilities", rfc: "§7.2")
        }
        for ext in leaf.extensions where !ext.type.isDefault {
            guard leaf.capabilities.extensions.contains(ext.type) else {
                throw MLSError.badInput(.invalidValue, "a leaf node carries extension \(ext.type.rawValue) not listed in its capabilities", rfc: "§7.3")
            }
        }
        if let now { try leaf.checkLifetime(at: now) }
        try GroupRequirements(context).check(leaf)
    }

    /// Whether `bytes` is exactly one DER SEQUENCE (the outer shape of an X.509 certificate):
    /// tag 0x30, a definite length in short or long form, and that many bytes of content.
    /// The certificate itself is not parsed or verified: that is the application's
    /// authentication service (§5.3.1).
    static func isDERSequence(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 2, bytes[0] == 0x30 else { return false }
        let first = Int(bytes[1])
        if first < 0x80 { return bytes.count == 2 + first }
        let lengthBytes = first & 0x7f
        guard (1...4).contains(lengthBytes), bytes.count >= 2 + lengthBytes, bytes[2] != 0 else { return false }
        var length = 0
        for byte in bytes[2..<(2 + lengthBytes)] { length = length << 8 | Int(byte) }
        guard length >= 0x80 else { return false }  // long form only where short form cannot hold it
        return bytes.count == 2 + lengthBytes + length
    }

    /// KeyPackage validation (§10.1): suite and version match the group, leaf valid for a
    /// KeyPackage, signature valid, init key distinct from the encryption key.
    func validateKeyPackage(_ keyPackage: KeyPackage, context: GroupContext, now: UInt64? = nil) throws {
        guard keyPackage.cipherSuite == context.cipherSuite, keyPackage.version == context.version else {
            throw MLSError.badInput(.invalidValue, "a KeyPackage's cipher suite or version differs from the group's", rfc: "§10.1")
        }
        try validateLeafNode(keyPackage.leafNode, expected: .keyPackage, leafIndex: nil, context: context, now: now)
        guard keyPackage.leafNode.verifySignature(provider, groupID: [], leafIndex: LeafIndex(0)) else {
            throw MLSError.badInput(.invalidSignature, "a KeyPackage's leaf node signature does not verify", rfc: "§10.1")
        }
        guard provider.verifyWithLabel(keyPackage.leafNode.signatureKey, label: "KeyPackageTBS", content: keyPackage.toBeSigned, signature: keyPackage.signature) else {
            throw MLSError.badInput(.invalidSignature, "a KeyPackage's signature does not verify", rfc: "§10.1")
        }
        guard keyPackage.initKey != keyPackage.leafNode.encryptionKey else {
            throw MLSError.badInput(.invalidValue, "a KeyPackage's init key equals its encryption key", rfc: "§10.1")
        }
    }
}

extension ExtensionType {
    /// The extensions RFC 9420 defines (§17.3), which every client implements and need not list
    /// in its capabilities (§7.2, §11.1).
    var isDefault: Bool { (1...5).contains(rawValue) }
}

extension LeafNode {
    /// Refuses a leaf from a KeyPackage outside its lifetime at `now` (§7.3).
    func checkLifetime(at now: UInt64) throws {
        if case .keyPackage(let lifetime) = source, !(lifetime.notBefore...max(lifetime.notBefore, lifetime.notAfter)).contains(now) {
            throw MLSError.badInput(.expiredLeafNode, "a leaf node is outside its lifetime at the given time", rfc: "§7.3")
        }
    }
}

/// What a GroupContext asks of every member's leaf (§7.3, §11.1, §13.4): support for each
/// non-default extension of the GroupContext, and for the `required_capabilities`
/// extension's extensions, proposals and credential types.
struct GroupRequirements {
    var extensions: [ExtensionType] = []
    var proposals: [ProposalType] = []
    var credentials: [CredentialType] = []

    init(_ context: GroupContext) throws {
        extensions = context.extensions.map(\.type).filter { !$0.isDefault }
        guard let ext = context.extensions.first(where: { $0.type == .requiredCapabilities }) else { return }
        var decoder = TLSDecoder(ext.data)
        let required: [ExtensionType] = try decoder.readVector("extension_types")
        proposals = try decoder.readVector("proposal_types")
        credentials = try decoder.readVector("credential_types")
        try decoder.finish("RequiredCapabilities")
        extensions += required.filter { !$0.isDefault && !extensions.contains($0) }
        proposals.removeAll { $0.rawValue <= 7 }  // the default proposals (§17.4)
    }

    func check(_ leaf: LeafNode) throws {
        func refuse(_ what: String, _ value: UInt16) -> MLSError {
            .badInput(.unsupportedCapability, "a leaf node does not support \(what) \(value), which the group requires", rfc: "§11.1")
        }
        for ext in extensions where !leaf.capabilities.extensions.contains(ext) { throw refuse("extension", ext.rawValue) }
        for proposal in proposals where !leaf.capabilities.proposals.contains(proposal) { throw refuse("proposal type", proposal.rawValue) }
        for credential in credentials where !leaf.capabilities.credentials.contains(credential) { throw refuse("credential type", credential.rawValue) }
    }
}

/// The credential types in use in a tree and those every member supports (§7.3: each leaf's
/// credential type is supported by every member, and each leaf supports every type in use).
struct CredentialSupport {
    private(set) var inUse: Set<CredentialType> = []
    /// `nil` while no leaf has been counted.
    private(set) var supportedByAll: Set<CredentialType>?

    init() {}

    /// Counts every leaf of `tree` but `excluded` (a leaf about to be replaced).
    init(_ tree: RatchetTree, excluding excluded: LeafIndex? = nil) {
        for index in tree.occupiedLeaves where index != excluded {
            if let leaf = tree.leaf(index) { count(leaf) }
        }
    }

    mutating func count(_ leaf: LeafNode) {
        inUse.insert(leaf.credential.type)
        if supportedByAll == nil {
            supportedByAll = Set(leaf.capabilities.credentials)
        } else {
            supportedByAll?.formIntersection(leaf.capabilities.credentials)
        }
    }

    /// Checks that `leaf` may join the counted leaves, then counts it.
    mutating func admit(_ leaf: LeafNode) throws {
        guard supportedByAll?.contains(leaf.credential.type) ?? true else {
            throw MLSError.badInput(.unsupportedCapability, "a leaf's credential type \(leaf.credential.type.rawValue) is not supported by every member", rfc: "§7.3")
        }
        for type in inUse where !leaf.capabilities.credentials.contains(type) {
            throw MLSError.badInput(.unsupportedCapability, "a leaf node does not support credential type \(type.rawValue), which a member uses", rfc: "§7.3")
        }
        count(leaf)
    }

    /// Whether replacing `old` by `new` can change what the tree uses or supports.
    static func changes(_ old: LeafNode, to new: LeafNode) -> Bool {
        old.credential.type != new.credential.type || old.capabilities.credentials != new.capabilities.credentials
    }
}
