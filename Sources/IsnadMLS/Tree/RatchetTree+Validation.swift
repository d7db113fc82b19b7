extension LeafNode {
    /// Verifies the leaf's signature: `VerifyWithLabel(signature_key, "LeafNodeTBS", LeafNodeTBS)` (§7.2).
    /// - Parameters:
    ///   - groupID, leafIndex: bound into the signature for `update` and `commit` sources.
    public func verifySignature(_ provider: CipherSuiteProvider, groupID: [UInt8], leafIndex: LeafIndex) -> Bool {
        provider.verifyWithLabel(signatureKey, label: "LeafNodeTBS", content: toBeSigned(groupID: groupID, leafIndex: leafIndex), signature: signature)
    }

    /// Signs the leaf in place with `signer` (§7.2).
    public mutating func sign(_ provider: CipherSuiteProvider, with signer: SignaturePrivateKey, groupID: [UInt8], leafIndex: LeafIndex) throws {
        signature = try provider.signWithLabel(signer, label: "LeafNodeTBS", content: toBeSigned(groupID: groupID, leafIndex: leafIndex))
    }
}

extension RatchetTree {
    /// Structural and cryptographic checks a joiner makes on a received tree (§7.9.2, §7.3, §12.4.3.1):
    /// every leaf's signature, unmerged leaves sorted and pointing at non-blank leaves below their
    /// node, encryption and signature keys unique, every credential type in use supported by
    /// every leaf, and every parent node parent-hash valid.
    /// - Parameter now: seconds since the Unix epoch; when given, leaves from KeyPackages must
    ///   be within their lifetime (§7.3, RECOMMENDED).
    /// - Throws: ``MLSError`` `.invalidSignature` or `.invalidValue` naming the offending node,
    ///   `.unsupportedCapability`, `.expiredLeafNode`.
    public mutating func validate(_ provider: CipherSuiteProvider, groupID: [UInt8], now: UInt64? = nil) throws {
        var encryptionKeys = Set<[UInt8]>(), signatureKeys = Set<[UInt8]>()
        var credentials = CredentialSupport()
        // The leaf signatures are independent: check them on all cores first.
        let leaves = occupiedLeaves
        let signed = try ParallelWork.map(leaves.count) { [self] in
            guard let leaf = leaf(leaves[$0]) else { return true }
            return leaf.verifySignature(provider, groupID: groupID, leafIndex: leaves[$0])
        }
        if let bad = zip(leaves, signed).first(where: { !$0.1 }) {
            throw MLSError.badInput(.invalidSignature, "the signature of \(bad.0) does not verify", rfc: "§7.3")
        }
        for (index, node) in nodes.enumerated() {
            switch node {
            case .leaf(let leaf):
                let leafIndex = LeafIndex(UInt32(index / 2))
                guard signatureKeys.insert(leaf.signatureKey.bytes).inserted else {
                    throw MLSError.badInput(.invalidValue, "\(leafIndex) repeats another member's signature key", rfc: "§7.3")
                }
                guard encryptionKeys.insert(leaf.encryptionKey.bytes).inserted else {
                    throw MLSError.badInput(.invalidValue, "\(leafIndex) repeats an encryption key already in the tree", rfc: "§7.3")
                }
                if let now { try leaf.checkLifetime(at: now) }
                credentials.count(leaf)
            case .parent(let parent):
                let nodeIndex = NodeIndex(UInt32(index))
                guard encryptionKeys.insert(parent.encryptionKey.bytes).inserted else {
                    throw MLSError.badInput(.invalidValue, "parent node \(index) repeats an encryption key already in the tree", rfc: "§7.3")
                }
                guard zip(parent.unmergedLeaves, parent.unmergedLeaves.dropFirst()).allSatisfy({ $0 < $1 }) else {
                    throw MLSError.badInput(.invalidValue, "the unmerged leaves of parent node \(index) are not in increasing order", rfc: "§7.1")
                }
                for unmerged in parent.unmergedLeaves {
                    guard TreeMath.isAncestor(nodeIndex, of: unmerged.nodeIndex), leaf(unmerged) != nil else {
                        throw MLSError.badInput(.invalidValue, "parent node \(index) lists \(unmerged) as unmerged, which is blank or not below it", rfc: "§7.1")
                    }
                }
            case nil:
                break
            }
        }
        for type in credentials.inUse where !(credentials.supportedByAll?.contains(type) ?? true) {
            throw MLSError.badInput(.unsupportedCapability, "credential type \(type.rawValue) is in use but not supported by every member", rfc: "§7.3")
        }
        try verifyParentHashes(provider)
    }
}
