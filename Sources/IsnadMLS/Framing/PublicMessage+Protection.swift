extension PublicMessage {
    /// Protects content as a PublicMessage (§6.2): signs it and, for member senders, adds the
    /// membership tag `MAC(membership_key, AuthenticatedContentTBM)`.
    /// - Throws: ``MLSError`` `.applicationMessageNotEncrypted` for application data, which
    ///   MUST travel as a PrivateMessage (§6).
    public static func protect(_ provider: CipherSuiteProvider, content: FramedContent, signer: SignaturePrivateKey,
                               context: GroupContext, membershipKey: SecretBytes?, confirmationTag: [UInt8]? = nil) throws -> PublicMessage {
        guard content.content.type != .application else {
            throw MLSError.misuse(.applicationMessageNotEncrypted, "application messages must be sent as PrivateMessage", rfc: "§6")
        }
        let authenticated = try AuthenticatedContent.sign(provider, wireFormat: .publicMessage, content: content, signer: signer,
                                                          context: context, confirmationTag: confirmationTag)
        var message = PublicMessage(content: content, auth: authenticated.auth, membershipTag: nil)
        if case .member = content.sender {
            guard let membershipKey else {
                throw MLSError.misuse(.invalidMembershipTag, "a member's PublicMessage needs the membership key", rfc: "§6.2")
            }
            message.membershipTag = provider.mac(key: membershipKey.bytes, data: message.toBeMACed(context: context))
        }
        return message
    }

    /// The encoded `AuthenticatedContentTBM { FramedContentTBS content_tbs; FramedContentAuthData auth; }` (§6.2).
    func toBeMACed(context: GroupContext) -> [UInt8] {
        var encoder = TLSEncoder(capacity: 512)
        encoder.writeRaw(AuthenticatedContent.toBeSigned(wireFormat: .publicMessage, content: content, context: context))
        auth.encode(to: &encoder)
        return encoder.bytes
    }

    /// First stage of receiving a PublicMessage: checks group, epoch and, for members, the
    /// membership tag in constant time (§6.2). The signature is checked by the next stage.
    /// - Throws: ``MLSError`` `.wrongGroup`, `.wrongEpoch`, `.invalidMembershipTag`, `.applicationMessageNotEncrypted`.
    public func unprotect(_ provider: CipherSuiteProvider, context: GroupContext, membershipKey: SecretBytes?) throws -> UnverifiedContent {
        let authenticated = authenticatedContent
        try authenticated.checkGroupAndEpoch(context)
        guard content.content.type != .application else {
            throw MLSError.badInput(.applicationMessageNotEncrypted, "an application message arrived unencrypted as a PublicMessage", rfc: "§6")
        }
        if case .member = content.sender {
            guard let membershipKey, let tag = membershipTag,
                  provider.verifyMAC(key: membershipKey.bytes, data: toBeMACed(context: context), tag: tag) else {
                throw MLSError.badInput(.invalidMembershipTag, "the membership tag does not verify", rfc: "§6.2")
            }
        }
        return UnverifiedContent(authenticated)
    }
}
