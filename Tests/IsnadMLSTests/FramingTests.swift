@testable import IsnadMLS
import Testing

/// PublicMessage and PrivateMessage protection (RFC 9420 §6), on every supported suite.
struct FramingTests {
    struct Fixture {
        let provider: CipherSuiteProvider
        let signer: SignaturePrivateKey
        let context: GroupContext
        let membershipKey = SecretBytes([UInt8](repeating: 3, count: 32))
        let senderDataSecret: SecretBytes
        let encryptionSecret: SecretBytes
        var generator = SeededGenerator(seed: 42)

        init(_ suite: CipherSuite) throws {
            provider = try CipherSuiteProvider(suite)
            var generator = SeededGenerator(seed: UInt64(suite.rawValue))
            signer = provider.generateSignatureKey(using: &generator)
            context = GroupContext(cipherSuite: suite, groupID: Array("group".utf8), epoch: 4, treeHash: [1, 2], confirmedTranscriptHash: [3, 4])
            senderDataSecret = SecretBytes(randomBytes(provider.hashLength, using: &generator))
            encryptionSecret = SecretBytes(randomBytes(provider.hashLength, using: &generator))
        }

        func tree() -> SecretTree { SecretTree(provider, encryptionSecret: encryptionSecret, leafCount: 4) }

        func content(_ body: Content, epoch: UInt64? = nil) -> FramedContent {
            FramedContent(groupID: context.groupID, epoch: epoch ?? context.epoch, sender: .member(LeafIndex(2)), authenticatedData: [9], content: body)
        }

        mutating func seal(_ body: Content, padding: Int = 0, tree: inout SecretTree) throws -> PrivateMessage {
            try PrivateMessage.protect(provider, content: content(body), signer: signer, context: context, secretTree: &tree,
                                       senderDataSecret: senderDataSecret, paddingLength: padding, using: &generator)
        }

        func open(_ message: PrivateMessage, tree: inout SecretTree) throws -> VerifiedContent {
            try message.decrypt(provider, context: context, secretTree: &tree, senderDataSecret: senderDataSecret)
                .verifySignature(provider, publicKey: signer.publicKey, context: context)
        }
    }

    @Test("application messages round-trip with padding, and padding hides length", arguments: CipherSuite.supported)
    func privateRoundTrip(_ suite: CipherSuite) throws {
        var f = try Fixture(suite)
        var sender = f.tree(), receiver = f.tree()
        let short = try f.seal(.application(Array("hi".utf8)), padding: 30, tree: &sender)
        let long = try f.seal(.application(Array(repeating: 65, count: 32)), padding: 0, tree: &sender)
        // Ed25519 signatures have a fixed size, so equal padded lengths give equal ciphertexts;
        // DER-encoded ECDSA signatures vary by a byte or two, so there only the round trip is checked.
        if suite == .x25519AES128GCMSHA256Ed25519 || suite == .x25519ChaCha20Poly1305SHA256Ed25519 {
            #expect(short.ciphertext.count == long.ciphertext.count)
        }
        #expect(try f.open(short, tree: &receiver).authenticatedContent.content.content == .application(Array("hi".utf8)))
        #expect(try f.open(long, tree: &receiver).authenticatedContent.content.content == .application(Array(repeating: 65, count: 32)))
    }

    @Test("a PrivateMessage cannot be opened twice (replay)")
    func replay() throws {
        var f = try Fixture(.x25519AES128GCMSHA256Ed25519)
        var sender = f.tree(), receiver = f.tree()
        let message = try f.seal(.application([1]), tree: &sender)
        _ = try f.open(message, tree: &receiver)
        #expect(MLSError.has(.generationConsumed) { _ = try f.open(message, tree: &receiver) })
    }

    @Test("tampering with any byte of a PrivateMessage's ciphertexts or header is detected")
    func tampering() throws {
        var f = try Fixture(.x25519ChaCha20Poly1305SHA256Ed25519)
        var sender = f.tree()
        let message = try f.seal(.application(Array("report".utf8)), tree: &sender)
        var mutants: [PrivateMessage] = []
        for index in [0, message.ciphertext.count / 2, message.ciphertext.count - 1] {
            var m = message
            m.ciphertext[index] ^= 1
            mutants.append(m)
        }
        var m = message
        m.encryptedSenderData[0] ^= 0x80
        mutants.append(m)
        m = message
        m.authenticatedData = [8]
        mutants.append(m)
        for mutant in mutants {
            var receiver = f.tree()
            #expect(MLSError.has(.decryptionFailed) { _ = try f.open(mutant, tree: &receiver) })
        }
    }

    @Test("non-zero padding is rejected as malformed")
    func nonZeroPadding() throws {
        let f = try Fixture(.x25519AES128GCMSHA256Ed25519)
        var sender = f.tree(), receiver = f.tree()
        let content = f.content(.application([1, 2]))
        let authenticated = try AuthenticatedContent.sign(f.provider, wireFormat: .privateMessage, content: content, signer: f.signer,
                                                          context: f.context, confirmationTag: nil)
        var plaintext = TLSEncoder()
        content.content.encodeBody(to: &plaintext)
        authenticated.auth.encode(to: &plaintext)
        plaintext.writeRaw([0, 0, 1, 0])
        let key = try sender.nextKey(for: LeafIndex(2), .application)
        let guardBytes: [UInt8] = [0, 0, 0, 0]
        let ciphertext = try f.provider.seal(key: key.key.bytes, nonce: key.nonce.bytes,
                                             aad: PrivateMessage.contentAAD(groupID: content.groupID, epoch: content.epoch, contentType: .application, authenticatedData: [9]),
                                             plaintext: plaintext.bytes)
        let (sk, sn) = PrivateMessage.senderDataKeyAndNonce(f.provider, senderDataSecret: f.senderDataSecret, ciphertext: ciphertext)
        let sealedSender = try f.provider.seal(key: sk, nonce: sn,
                                               aad: PrivateMessage.senderDataAAD(groupID: content.groupID, epoch: content.epoch, contentType: .application),
                                               plaintext: SenderData(leafIndex: LeafIndex(2), generation: 0, reuseGuard: guardBytes).encoded)
        let message = PrivateMessage(groupID: content.groupID, epoch: content.epoch, contentType: .application, authenticatedData: [9],
                                     encryptedSenderData: sealedSender, ciphertext: ciphertext)
        #expect(MLSError.has(.nonZeroPadding) { _ = try f.open(message, tree: &receiver) })
    }

    @Test("a message for another epoch or group is refused before decryption")
    func wrongEpochOrGroup() throws {
        var f = try Fixture(.p256AES128GCMSHA256P256)
        var sender = f.tree(), receiver = f.tree()
        var message = try f.seal(.application([1]), tree: &sender)
        message.epoch += 1
        #expect(MLSError.has(.wrongEpoch) { _ = try f.open(message, tree: &receiver) })
        message.epoch -= 1
        message.groupID = [0]
        #expect(MLSError.has(.wrongGroup) { _ = try f.open(message, tree: &receiver) })
    }

    @Test("PublicMessage: membership tag and signature are both enforced", arguments: CipherSuite.supported)
    func publicMessage(_ suite: CipherSuite) throws {
        let f = try Fixture(suite)
        let proposal = Proposal.remove(LeafIndex(1))
        let message = try PublicMessage.protect(f.provider, content: f.content(.proposal(proposal)), signer: f.signer,
                                                context: f.context, membershipKey: f.membershipKey)
        let verified = try message.unprotect(f.provider, context: f.context, membershipKey: f.membershipKey)
            .verifySignature(f.provider, publicKey: f.signer.publicKey, context: f.context)
        #expect(verified.authenticatedContent.content.content == .proposal(proposal))

        var badTag = message
        badTag.membershipTag?[0] ^= 1
        #expect(MLSError.has(.invalidMembershipTag) { _ = try badTag.unprotect(f.provider, context: f.context, membershipKey: f.membershipKey) })
        #expect(MLSError.has(.invalidMembershipTag) {
            _ = try message.unprotect(f.provider, context: f.context, membershipKey: SecretBytes([UInt8](repeating: 4, count: 32)))
        })

        var generator = SeededGenerator(seed: 9)
        let stranger = f.provider.generateSignatureKey(using: &generator)
        #expect(MLSError.has(.invalidSignature) {
            _ = try message.unprotect(f.provider, context: f.context, membershipKey: f.membershipKey)
                .verifySignature(f.provider, publicKey: stranger.publicKey, context: f.context)
        })
    }

    @Test("application data is never sent or accepted as a PublicMessage")
    func applicationNotPublic() throws {
        let f = try Fixture(.x25519AES128GCMSHA256Ed25519)
        #expect(MLSError.has(.applicationMessageNotEncrypted) {
            _ = try PublicMessage.protect(f.provider, content: f.content(.application([1])), signer: f.signer, context: f.context, membershipKey: f.membershipKey)
        })
        let forged = PublicMessage(content: f.content(.application([1])), auth: FramedContentAuthData(signature: [], confirmationTag: nil), membershipTag: [])
        #expect(MLSError.has(.applicationMessageNotEncrypted) { _ = try forged.unprotect(f.provider, context: f.context, membershipKey: f.membershipKey) })
    }

    @Test("commits require a confirmation tag; other content must not carry one")
    func confirmationTagRules() throws {
        let f = try Fixture(.x25519AES128GCMSHA256Ed25519)
        let commit = Commit(proposals: [], path: nil)
        #expect(MLSError.has(.missingConfirmationTag) {
            _ = try PublicMessage.protect(f.provider, content: f.content(.commit(commit)), signer: f.signer, context: f.context, membershipKey: f.membershipKey)
        })
        #expect(MLSError.has(.invalidValue) {
            _ = try PublicMessage.protect(f.provider, content: f.content(.proposal(.remove(LeafIndex(0)))), signer: f.signer,
                                          context: f.context, membershipKey: f.membershipKey, confirmationTag: [1])
        })
    }
}
