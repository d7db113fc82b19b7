import IsnadMLS

extension Checks {
    /// Passive Client: join from the Welcome (tree inside it or given), check the epoch
    /// authenticator, then follow every commit (with its proposals) and check each epoch's.
    static let passiveClient: @Sendable (VectorCase) throws -> CaseOutcome = { vector in
        let provider = try Checks.provider(vector)
        guard case .keyPackage(let keyPackage) = try MLSMessage(decoding: try vector.hex("key_package")),
              case .welcome(let welcome) = try MLSMessage(decoding: try vector.hex("welcome")) else {
            throw CheckFailure("key_package or welcome has the wrong wire format")
        }
        let signer = try provider.signaturePrivateKey(try vector.hex("signature_priv"))
        let encryptionKey = HPKEPrivateKey(SecretBytes(try vector.hex("encryption_priv")))
        let initKey = HPKEPrivateKey(SecretBytes(try vector.hex("init_priv")))
        try expect(signer.publicKey == keyPackage.leafNode.signatureKey, "signature_priv does not match the KeyPackage")
        try expect(try provider.hpkePublicKey(for: encryptionKey) == keyPackage.leafNode.encryptionKey, "encryption_priv does not match the KeyPackage")
        try expect(try provider.hpkePublicKey(for: initKey) == keyPackage.initKey, "init_priv does not match the KeyPackage")

        var store = InMemoryPSKStore()
        for psk in try vector.objects("external_psks") { store.psks[try psk.hex("psk_id")] = SecretBytes(try psk.hex("psk")) }
        let tree = try vector.optionalHex("ratchet_tree").map { try RatchetTreeNodes(decoding: $0) }
        var group = try Group(welcome: welcome, keyPackage: KeyPackageBundle(keyPackage: keyPackage, initPrivateKey: initKey,
                                                                              encryptionPrivateKey: encryptionKey, signer: signer),
                              ratchetTree: tree, psks: store)
        try expect(group.epochAuthenticator == SecretBytes(try vector.hex("initial_epoch_authenticator")), "initial epoch authenticator differs")

        for (index, epoch) in try vector.objects("epochs").enumerated() {
            guard let proposals = try epoch.value("proposals") as? [String] else { throw VectorFormatError("proposals is not an array of strings") }
            for hex in proposals {
                guard let bytes = [UInt8](hexString: hex) else { throw VectorFormatError("a proposal is not hexadecimal") }
                _ = try group.process(try MLSMessage(decoding: bytes), psks: store)
            }
            let result = try group.process(try MLSMessage(decoding: try epoch.hex("commit")), psks: store)
            guard case .commit = result else { throw CheckFailure("epoch \(index): the commit message was not a commit") }
            try expect(group.epochAuthenticator == SecretBytes(try epoch.hex("epoch_authenticator")), "epoch \(index + 1) authenticator differs")
        }
        return .passed
    }
}
