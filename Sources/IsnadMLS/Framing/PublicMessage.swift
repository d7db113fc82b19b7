/// `PublicMessage` (§6.2): signed but not encrypted; members add a membership tag.
public struct PublicMessage: MLSCodable, Hashable, Sendable {
    public var content: FramedContent
    public var auth: FramedContentAuthData
    /// Present exactly when the sender is a member.
    public var membershipTag: [UInt8]?

    public init(content: FramedContent, auth: FramedContentAuthData, membershipTag: [UInt8]?) {
        self.content = content
        self.auth = auth
        self.membershipTag = membershipTag
    }

    public func encode(to encoder: inout TLSEncoder) {
        encoder.write(content)
        auth.encode(to: &encoder)
        if let membershipTag { encoder.writeOpaque(membershipTag) }
    }

    public init(from decoder: inout TLSDecoder) throws {
        content = try decoder.read()
        auth = try FramedContentAuthData.decode(content.content.type, from: &decoder)
        if case .member = content.sender {
            membershipTag = try decoder.readOpaque("membership_tag")
        } else {
            membershipTag = nil
        }
    }

    /// The message as AuthenticatedContent (wire format `mls_public_message`).
    public var authenticatedContent: AuthenticatedContent {
        AuthenticatedContent(wireFormat: .publicMessage, content: content, auth: auth)
    }
}

/// `PrivateMessage` (§6.3): content and sender encrypted under keys from the secret tree.
public struct PrivateMessage: MLSCodable, Hashable, Sendable {
    public var groupID: [UInt8]
    public var epoch: UInt64
    public var contentType: ContentType
    public var authenticatedData: [UInt8]
    public var encryptedSenderData: [UInt8]
    public var ciphertext: [UInt8]

    public init(groupID: [UInt8], epoch: UInt64, contentType: ContentType, authenticatedData: [UInt8],
                encryptedSenderData: [UInt8], ciphertext: [UInt8]) {
        self.groupID = groupID
        self.epoch = epoch
        self.contentType = contentType
        self.authenticatedData = authenticatedData
        self.encryptedSenderData = encryptedSenderData
        self.ciphertext = ciphertext
    }

    public func encode(to encoder: inout TLSEncoder) {
        encoder.writeOpaque(groupID)
        encoder.write(epoch)
        encoder.write(contentType)
        encoder.writeOpaque(authenticatedData)
        encoder.writeOpaque(encryptedSenderData)
        encoder.writeOpaque(ciphertext)
    }

    public init(from decoder: inout TLSDecoder) throws {
        groupID = try decoder.readOpaque("group_id")
        epoch = try decoder.readUInt64("epoch")
        contentType = try decoder.read()
        authenticatedData = try decoder.readOpaque("authenticated_data")
        encryptedSenderData = try decoder.readOpaque("encrypted_sender_data")
        ciphertext = try decoder.readOpaque("ciphertext")
    }
}

/// `SenderData` (§6.3.2): who sent a PrivateMessage and with which generation.
public struct SenderData: MLSCodable, Hashable, Sendable {
    public var leafIndex: LeafIndex
    public var generation: UInt32
    public var reuseGuard: [UInt8]

    public init(leafIndex: LeafIndex, generation: UInt32, reuseGuard: [UInt8]) {
        self.leafIndex = leafIndex
        self.generation = generation
        self.reuseGuard = reuseGuard
    }

    public func encode(to encoder: inout TLSEncoder) {
        encoder.write(leafIndex.rawValue)
        encoder.write(generation)
        encoder.writeRaw(reuseGuard.prefix(4))
    }

    public init(from decoder: inout TLSDecoder) throws {
        leafIndex = LeafIndex(try decoder.readUInt32("leaf_index"))
        generation = try decoder.readUInt32("generation")
        reuseGuard = try decoder.readRaw(4, "reuse_guard")
    }
}
