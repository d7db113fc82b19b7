import IsnadMLS

extension Checks {
    /// Tree Math: node count, root, and left/right/parent/sibling of every node.
    static let treeMath: @Sendable (VectorCase) throws -> CaseOutcome = { vector in
        let leaves = UInt32(try vector.integer("n_leaves"))
        try expect(TreeMath.nodeWidth(leaves) == UInt32(try vector.integer("n_nodes")), "n_nodes")
        try expect(TreeMath.root(leaves).rawValue == UInt32(try vector.integer("root")), "root")
        let left = try vector.optionalIntegers("left"), right = try vector.optionalIntegers("right")
        let parent = try vector.optionalIntegers("parent"), sibling = try vector.optionalIntegers("sibling")
        for i in 0..<Int(TreeMath.nodeWidth(leaves)) {
            let node = NodeIndex(UInt32(i))
            try expect(TreeMath.left(node)?.rawValue == left[i], "left[\(i)]")
            try expect(TreeMath.right(node)?.rawValue == right[i], "right[\(i)]")
            try expect(TreeMath.parent(node, leafCount: leaves)?.rawValue == parent[i], "parent[\(i)]")
            try expect(TreeMath.sibling(node, leafCount: leaves)?.rawValue == sibling[i], "sibling[\(i)]")
        }
        return .passed
    }

    /// Vector Deserialization: the varint header decodes to the given length, using all its bytes.
    static let deserialization: @Sendable (VectorCase) throws -> CaseOutcome = { vector in
        var decoder = TLSDecoder(try vector.hex("vlbytes_header"))
        let length = try decoder.readVarint()
        try expect(decoder.isAtEnd, "header has trailing bytes")
        try expect(UInt64(length) == (try vector.integer("length")), "decoded length")
        return .passed
    }

    /// Crypto Basics: RefHash, ExpandWithLabel, DeriveSecret, DeriveTreeSecret,
    /// SignWithLabel/VerifyWithLabel and EncryptWithLabel/DecryptWithLabel.
    static let cryptoBasics: @Sendable (VectorCase) throws -> CaseOutcome = { vector in
        let provider = try Checks.provider(vector)
        let ref = try vector.object("ref_hash")
        try expectEqual(provider.refHash(label: try ref.string("label"), value: try ref.hex("value")), try ref.hex("out"), "ref_hash")

        let expand = try vector.object("expand_with_label")
        try expectEqual(provider.expandWithLabel(secret: try expand.hex("secret"), label: try expand.string("label"),
                                                 context: try expand.hex("context"), length: Int(try expand.integer("length"))),
                        try expand.hex("out"), "expand_with_label")

        let derive = try vector.object("derive_secret")
        try expectEqual(provider.deriveSecret(try derive.hex("secret"), label: try derive.string("label")), try derive.hex("out"), "derive_secret")

        let tree = try vector.object("derive_tree_secret")
        try expectEqual(provider.deriveTreeSecret(try tree.hex("secret"), label: try tree.string("label"),
                                                  generation: UInt32(try tree.integer("generation")), length: Int(try tree.integer("length"))),
                        try tree.hex("out"), "derive_tree_secret")

        let sign = try vector.object("sign_with_label")
        let publicKey = SignaturePublicKey(try sign.hex("pub"))
        let label = try sign.string("label"), content = try sign.hex("content")
        try expect(provider.verifyWithLabel(publicKey, label: label, content: content, signature: try sign.hex("signature")),
                   "the vector's signature does not verify")
        let privateKey = try provider.signaturePrivateKey(try sign.hex("priv"))
        try expect(privateKey.publicKey == publicKey, "the private key does not match the public key")
        let ours = try provider.signWithLabel(privateKey, label: label, content: content)
        try expect(provider.verifyWithLabel(publicKey, label: label, content: content, signature: ours), "our signature does not verify")
        try expect(!provider.verifyWithLabel(publicKey, label: label + "x", content: content, signature: ours), "a signature verified under another label")

        let encrypt = try vector.object("encrypt_with_label")
        let hpkePrivate = HPKEPrivateKey(SecretBytes(try encrypt.hex("priv")))
        let hpkePublic = HPKEPublicKey(try encrypt.hex("pub"))
        try expect(try provider.hpkePublicKey(for: hpkePrivate) == hpkePublic, "HPKE private key does not match the public key")
        let encryptLabel = try encrypt.string("label"), context = try encrypt.hex("context"), plaintext = try encrypt.hex("plaintext")
        let opened = try provider.decryptWithLabel(hpkePrivate, label: encryptLabel, context: context,
                                                   kemOutput: try encrypt.hex("kem_output"), ciphertext: try encrypt.hex("ciphertext"))
        try expectEqual(opened, plaintext, "decrypt_with_label plaintext")
        let sealed = try provider.encryptWithLabel(hpkePublic, label: encryptLabel, context: context, plaintext: plaintext)
        let reopened = try provider.decryptWithLabel(hpkePrivate, label: encryptLabel, context: context,
                                                     kemOutput: sealed.kemOutput, ciphertext: sealed.ciphertext)
        try expectEqual(reopened, plaintext, "encrypt then decrypt_with_label")
        return .passed
    }
}
