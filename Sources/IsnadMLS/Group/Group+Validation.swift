extension Group {
    /// Leaf-node checks of §7.3 that do not depend on the clock: signature, extensions listed
    /// in capabilities, credential type listed, the source expected where it appears, and
    /// support for the group's required capabilities.
    func validateLeafNode(_ leaf: LeafNode, expected source: LeafNodeSource, leafIndex: LeafIndex?, context: GroupContext) throws {
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
        let defaultExtensions: Set<UInt16> = [1, 2, 3, 4, 5]
        for ext in leaf.extensions where !defaultExtensions.contains(ext.type.rawValue) {
            guard leaf.capabilities.extensions.contains(ext.type) else {
                throw MLSError.badInput(.invalidValue, "a leaf node carries extension \(ext.type.rawValue) not listed in its capabilities", rfc: "§7.3")
            }
        }
        if let required = try requiredCapabilities(context) {
            for ext in required.extensions where !defaultExtensions.contains(ext.rawValue) && !leaf.capabilities.extensions.contains(ext) {
                throw MLSError.badInput(.invalidValue, "a leaf node lacks required extension support \(ext.rawValue)", rfc: "§11.1")
            }
            for proposal in required.proposals where proposal.rawValue > 7 && !leaf.capabilities.proposals.contains(proposal) {
                throw MLSError.badInput(.invalidValue, "a leaf node lacks required proposal support \(proposal.rawValue)", rfc: "§11.1")
            }
            for credential in required.credentials where !leaf.capabilities.credentials.contains(credential) {
                throw MLSError.badInput(.invalidValue, "a leaf node lacks required credential support \(credential.rawValue)", rfc: "§11.1")
            }
        }
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

    /// The `required_capabilities` extension of a GroupContext (§11.1), if present.
    func requiredCapabilities(_ context: GroupContext) throws -> (extensions: [ExtensionType], proposals: [ProposalType], credentials: [CredentialType])? {
        guard let ext = context.extensions.first(where: { $0.type == .requiredCapabilities }) else { return nil }
        var decoder = TLSDecoder(ext.data)
        let extensions: [ExtensionType] = try decoder.readVector("extension_types")
        let proposals: [ProposalType] = try decoder.readVector("proposal_types")
        let credentials: [CredentialType] = try decoder.readVector("credential_types")
        try decoder.finish("RequiredCapabilities")
        return (extensions, proposals, credentials)
    }

    /// KeyPackage validation (§10.1): suite and version match the group, leaf valid for a
    /// KeyPackage, signature valid, init key distinct from the encryption key.
    func validateKeyPackage(_ keyPackage: KeyPackage, context: GroupContext) throws {
        guard keyPackage.cipherSuite == context.cipherSuite, keyPackage.version == context.version else {
            throw MLSError.badInput(.invalidValue, "a KeyPackage's cipher suite or version differs from the group's", rfc: "§10.1")
        }
        try validateLeafNode(keyPackage.leafNode, expected: .keyPackage, leafIndex: nil, context: context)
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
