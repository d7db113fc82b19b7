/// Content whose group membership was checked (a PublicMessage's membership tag, or a
/// PrivateMessage's AEAD) but whose signature was not yet verified.
///
/// The only way to a ``VerifiedContent`` is ``verifySignature(_:publicKey:context:)``, so a
/// caller cannot act on content while skipping the signature check (§6.1).
public struct UnverifiedContent: Sendable, Hashable {
    /// The decoded content and its authentication data.
    public let authenticatedContent: AuthenticatedContent

    init(_ authenticatedContent: AuthenticatedContent) {
        self.authenticatedContent = authenticatedContent
    }

    /// The sender, needed to look up the key to verify with.
    public var sender: Sender { authenticatedContent.content.sender }

    /// Verifies the signature with the sender's key (§6.1): `VerifyWithLabel(key, "FramedContentTBS", FramedContentTBS)`.
    /// - Parameter context: the GroupContext of the message's epoch (used for member and new-member-commit senders).
    /// - Throws: ``MLSError`` `.invalidSignature`.
    public func verifySignature(_ provider: CipherSuiteProvider, publicKey: SignaturePublicKey, context: GroupContext) throws -> VerifiedContent {
        let signed = AuthenticatedContent.signContent(wireFormat: authenticatedContent.wireFormat,
                                                      content: authenticatedContent.content, context: context)
        guard provider.verify(authenticatedContent.auth.signature, of: signed, publicKey: publicKey) else {
            throw MLSError.badInput(.invalidSignature, "the \(authenticatedContent.content.content.type) message's signature does not verify with the sender's key", rfc: "§6.1")
        }
        return VerifiedContent(authenticatedContent)
    }
}

/// Content whose membership and signature have both been verified.
public struct VerifiedContent: Sendable, Hashable {
    public let authenticatedContent: AuthenticatedContent
    fileprivate init(_ authenticatedContent: AuthenticatedContent) {
        self.authenticatedContent = authenticatedContent
    }
}

extension AuthenticatedContent {
    /// Signs `content` for sending in `wireFormat` (§6.1).
    /// - Parameter confirmationTag: required for commits, forbidden otherwise.
    public static func sign(_ provider: CipherSuiteProvider, wireFormat: WireFormat, content: FramedContent,
                            signer: SignaturePrivateKey, context: GroupContext, confirmationTag: [UInt8]?) throws -> AuthenticatedContent {
        switch (content.content.type, confirmationTag) {
        case (.commit, nil):
            throw MLSError.misuse(.missingConfirmationTag, "a commit must carry a confirmation tag", rfc: "§6.1")
        case (.application, .some), (.proposal, .some):
            throw MLSError.misuse(.invalidValue, "only commits carry a confirmation tag", rfc: "§6.1")
        default:
            break
        }
        let signature = try provider.sign(signContent(wireFormat: wireFormat, content: content, context: context), with: signer)
        return AuthenticatedContent(wireFormat: wireFormat, content: content,
                                    auth: FramedContentAuthData(signature: signature, confirmationTag: confirmationTag))
    }

    /// Checks that the content belongs to the group and epoch of `context`.
    func checkGroupAndEpoch(_ context: GroupContext) throws {
        guard content.groupID == context.groupID else {
            throw MLSError.badInput(.wrongGroup, "the message belongs to another group", rfc: "§6")
        }
        guard content.epoch == context.epoch else {
            throw MLSError.badInput(.wrongEpoch, "the message is for epoch \(content.epoch), not \(context.epoch)", rfc: "§6")
        }
    }
}
