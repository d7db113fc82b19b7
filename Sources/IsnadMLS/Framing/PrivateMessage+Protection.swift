extension PrivateMessage {
    /// Protects content as a PrivateMessage (§6.3): signs it, encrypts content and auth with the
    /// sender's next ratchet key (nonce XORed with a fresh reuse guard), then encrypts the
    /// sender data under keys drawn from `sender_data_secret` and a ciphertext sample.
    /// - Parameters:
    ///   - paddingLength: zero bytes appended to hide the content's length.
    ///   - generator: the source of the reuse guard.
    public static func protect<R: RandomNumberGenerator>(
        _ provider: CipherSuiteProvider, content: FramedContent, signer: SignaturePrivateKey, context: GroupContext,
        secretTree: inout SecretTree, senderDataSecret: SecretBytes, confirmationTag: [UInt8]? = nil,
        paddingLength: Int = 0, using generator: inout R
    ) throws -> PrivateMessage {
        guard case .member = content.sender else {
            throw MLSError.misuse(.invalidSender, "only members send PrivateMessages", rfc: "§6.3.2")
        }
        let authenticated = try AuthenticatedContent.sign(provider, wireFormat: .privateMessage, content: content, signer: signer,
                                                          context: context, confirmationTag: confirmationTag)
        return try seal(provider, authenticated: authenticated, secretTree: &secretTree, senderDataSecret: senderDataSecret,
                        paddingLength: paddingLength, using: &generator)
    }

    /// Encrypts already-signed content (§6.3): used directly for commits, whose confirmation
    /// tag is computed after the signature.
    static func seal<R: RandomNumberGenerator>(
        _ provider: CipherSuiteProvider, authenticated: AuthenticatedContent, secretTree: inout SecretTree,
        senderDataSecret: SecretBytes, paddingLength: Int, using generator: inout R
    ) throws -> PrivateMessage {
        let content = authenticated.content
        guard case .member(let leaf) = content.sender else {
            throw MLSError.misuse(.invalidSender, "only members send PrivateMessages", rfc: "§6.3.2")
        }
        let contentType = content.content.type
        let ratchetKey = try secretTree.nextKey(for: leaf, contentType == .application ? .application : .handshake)
        let reuseGuard = randomBytes(4, using: &generator)

        var plaintext = TLSEncoder(capacity: 160 + paddingLength + content.content.sizeHint)
        content.content.encodeBody(to: &plaintext)
        authenticated.auth.encode(to: &plaintext)
        plaintext.writeRaw(repeatElement(UInt8(0), count: max(paddingLength, 0)))

        let aad = contentAAD(groupID: content.groupID, epoch: content.epoch, contentType: contentType,
                             authenticatedData: content.authenticatedData)
        let ciphertext = try provider.seal(key: ratchetKey.key.bytes, nonce: guarded(ratchetKey.nonce.bytes, reuseGuard),
                                           aad: aad, plaintext: plaintext.bytes)

        let senderData = SenderData(leafIndex: leaf, generation: ratchetKey.generation, reuseGuard: reuseGuard)
        let (senderKey, senderNonce) = senderDataKeyAndNonce(provider, senderDataSecret: senderDataSecret, ciphertext: ciphertext)
        let encryptedSenderData = try provider.seal(key: senderKey, nonce: senderNonce,
                                                    aad: senderDataAAD(groupID: content.groupID, epoch: content.epoch, contentType: contentType),
                                                    plaintext: senderData.encoded)
        return PrivateMessage(groupID: content.groupID, epoch: content.epoch, contentType: contentType,
                              authenticatedData: content.authenticatedData, encryptedSenderData: encryptedSenderData,
                              ciphertext: ciphertext)
    }

    /// First stage of receiving a PrivateMessage (§6.3): decrypts the sender data and the
    /// content, checks the padding is all zeros, and consumes the ratchet key. The signature is
    /// checked by the next stage.
    /// - Throws: ``MLSError`` `.wrongGroup`, `.wrongEpoch`, `.decryptionFailed`, `.leafOutOfRange`,
    ///   `.generationConsumed`, `.generationTooFarAhead`, `.nonZeroPadding`, or a codec error.
    public func decrypt(_ provider: CipherSuiteProvider, context: GroupContext, secretTree: inout SecretTree,
                        senderDataSecret: SecretBytes) throws -> UnverifiedContent {
        try decrypt(provider, context: context, secretTree: &secretTree, senderDataSecret: senderDataSecret, willConsume: { _ in })
    }

    /// ``decrypt(_:context:secretTree:senderDataSecret:)``, handing `willConsume` the secret
    /// tree's snapshot for the sender just before a key is consumed, so a caller that works in
    /// place can undo the consumption if a later stage fails.
    func decrypt(_ provider: CipherSuiteProvider, context: GroupContext, secretTree: inout SecretTree,
                 senderDataSecret: SecretBytes, willConsume: (SecretTree.Snapshot) -> Void) throws -> UnverifiedContent {
        guard groupID == context.groupID else {
            throw MLSError.badInput(.wrongGroup, "the message belongs to another group", rfc: "§6")
        }
        guard epoch == context.epoch else {
            throw MLSError.badInput(.wrongEpoch, "the message is for epoch \(epoch), not \(context.epoch)", rfc: "§6")
        }
        let (senderKey, senderNonce) = Self.senderDataKeyAndNonce(provider, senderDataSecret: senderDataSecret, ciphertext: ciphertext)
        let senderBytes = try provider.open(key: senderKey, nonce: senderNonce,
                                            aad: Self.senderDataAAD(groupID: groupID, epoch: epoch, contentType: contentType),
                                            ciphertext: encryptedSenderData)
        let senderData = try SenderData(decoding: senderBytes)

        willConsume(secretTree.snapshot(for: senderData.leafIndex))
        let ratchetKey = try secretTree.key(for: senderData.leafIndex, contentType == .application ? .application : .handshake,
                                            generation: senderData.generation)
        let plaintext = try provider.open(key: ratchetKey.key.bytes, nonce: Self.guarded(ratchetKey.nonce.bytes, senderData.reuseGuard),
                                          aad: Self.contentAAD(groupID: groupID, epoch: epoch, contentType: contentType,
                                                               authenticatedData: authenticatedData),
                                          ciphertext: ciphertext)

        var decoder = TLSDecoder(plaintext)
        let body = try Content.decodeBody(contentType, from: &decoder)
        let auth = try FramedContentAuthData.decode(contentType, from: &decoder)
        // The padding is everything after auth and MUST be all zeros (§6.3.1); checked without
        // an early exit so its timing does not depend on where a non-zero byte sits.
        var nonZero: UInt8 = 0
        for byte in plaintext[decoder.position...] { nonZero |= byte }
        guard nonZero == 0 else {
            throw MLSError.badInput(.nonZeroPadding, "the PrivateMessage's padding contains non-zero bytes", rfc: "§6.3.1")
        }
        let content = FramedContent(groupID: groupID, epoch: epoch, sender: .member(senderData.leafIndex),
                                    authenticatedData: authenticatedData, content: body)
        return UnverifiedContent(AuthenticatedContent(wireFormat: .privateMessage, content: content, auth: auth))
    }

    /// `sender_data_key` and `sender_data_nonce` from the first `KDF.Nh` bytes of the ciphertext (§6.3.2).
    package static func senderDataKeyAndNonce(_ provider: CipherSuiteProvider, senderDataSecret: SecretBytes, ciphertext: [UInt8]) -> ([UInt8], [UInt8]) {
        let sample = Array(ciphertext.prefix(provider.hashLength))
        let key = provider.expandWithLabel(secret: senderDataSecret.bytes, label: "key", context: sample, length: provider.aeadKeyLength)
        let nonce = provider.expandWithLabel(secret: senderDataSecret.bytes, label: "nonce", context: sample, length: provider.aeadNonceLength)
        return (key, nonce)
    }

    /// The key schedule nonce with its first four bytes XORed with the reuse guard (§6.3.1).
    static func guarded(_ nonce: [UInt8], _ reuseGuard: [UInt8]) -> [UInt8] {
        var result = nonce
        for index in 0..<min(4, reuseGuard.count, result.count) { result[index] ^= reuseGuard[index] }
        return result
    }

    /// `PrivateContentAAD` (§6.3.1).
    static func contentAAD(groupID: [UInt8], epoch: UInt64, contentType: ContentType, authenticatedData: [UInt8]) -> [UInt8] {
        var encoder = TLSEncoder(capacity: groupID.count + authenticatedData.count + 16)
        encoder.writeOpaque(groupID)
        encoder.write(epoch)
        encoder.write(contentType)
        encoder.writeOpaque(authenticatedData)
        return encoder.bytes
    }

    /// `SenderDataAAD` (§6.3.2).
    static func senderDataAAD(groupID: [UInt8], epoch: UInt64, contentType: ContentType) -> [UInt8] {
        var encoder = TLSEncoder(capacity: groupID.count + 16)
        encoder.writeOpaque(groupID)
        encoder.write(epoch)
        encoder.write(contentType)
        return encoder.bytes
    }
}
