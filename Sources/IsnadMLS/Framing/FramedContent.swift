/// The `select (content_type)` body shared by FramedContent and PrivateMessageContent (§6).
public enum Content: Hashable, Sendable {
    case application([UInt8])
    case proposal(Proposal)
    case commit(Commit)

    /// The content's type.
    public var type: ContentType {
        switch self {
        case .application: .application
        case .proposal: .proposal
        case .commit: .commit
        }
    }

    /// A size hint for encoders, so encoding a large application message does not regrow its buffer.
    var sizeHint: Int {
        switch self {
        case .application(let data): data.count + 8
        case .proposal, .commit: 512
        }
    }

    func encodeBody(to encoder: inout TLSEncoder) {
        switch self {
        case .application(let data): encoder.writeOpaque(data)
        case .proposal(let proposal): encoder.write(proposal)
        case .commit(let commit): encoder.write(commit)
        }
    }

    static func decodeBody(_ type: ContentType, from decoder: inout TLSDecoder) throws -> Content {
        switch type {
        case .application: .application(try decoder.readOpaque("application_data"))
        case .proposal: .proposal(try decoder.read())
        case .commit: .commit(try decoder.read())
        }
    }
}

/// `FramedContent` (§6): the content of a handshake or application message with its framing.
public struct FramedContent: MLSCodable, Hashable, Sendable {
    public var groupID: [UInt8]
    public var epoch: UInt64
    public var sender: Sender
    public var authenticatedData: [UInt8]
    public var content: Content

    public init(groupID: [UInt8], epoch: UInt64, sender: Sender, authenticatedData: [UInt8], content: Content) {
        self.groupID = groupID
        self.epoch = epoch
        self.sender = sender
        self.authenticatedData = authenticatedData
        self.content = content
    }

    public func encode(to encoder: inout TLSEncoder) {
        encoder.writeOpaque(groupID)
        encoder.write(epoch)
        encoder.write(sender)
        encoder.writeOpaque(authenticatedData)
        encoder.write(content.type)
        content.encodeBody(to: &encoder)
    }

    public init(from decoder: inout TLSDecoder) throws {
        groupID = try decoder.readOpaque("group_id")
        epoch = try decoder.readUInt64("epoch")
        sender = try decoder.read()
        authenticatedData = try decoder.readOpaque("authenticated_data")
        content = try Content.decodeBody(try decoder.read(ContentType.self), from: &decoder)
    }
}

/// `FramedContentAuthData` (§6.1): the signature, and for commits the confirmation tag.
public struct FramedContentAuthData: Hashable, Sendable {
    public var signature: [UInt8]
    /// Present exactly when the content is a commit.
    public var confirmationTag: [UInt8]?

    public init(signature: [UInt8], confirmationTag: [UInt8]?) {
        self.signature = signature
        self.confirmationTag = confirmationTag
    }

    func encode(to encoder: inout TLSEncoder) {
        encoder.writeOpaque(signature)
        if let confirmationTag { encoder.writeOpaque(confirmationTag) }
    }

    static func decode(_ contentType: ContentType, from decoder: inout TLSDecoder) throws -> FramedContentAuthData {
        let signature = try decoder.readOpaque("signature")
        let tag = contentType == .commit ? try decoder.readOpaque("confirmation_tag") : nil
        return FramedContentAuthData(signature: signature, confirmationTag: tag)
    }
}

/// `AuthenticatedContent` (§6): content, the wire format it travels in, and its authentication.
public struct AuthenticatedContent: MLSCodable, Hashable, Sendable {
    public var wireFormat: WireFormat
    public var content: FramedContent
    public var auth: FramedContentAuthData

    public init(wireFormat: WireFormat, content: FramedContent, auth: FramedContentAuthData) {
        self.wireFormat = wireFormat
        self.content = content
        self.auth = auth
    }

    public func encode(to encoder: inout TLSEncoder) {
        encoder.write(wireFormat)
        encoder.write(content)
        auth.encode(to: &encoder)
    }

    public init(from decoder: inout TLSDecoder) throws {
        wireFormat = try decoder.read()
        content = try decoder.read()
        auth = try FramedContentAuthData.decode(content.content.type, from: &decoder)
    }

    /// The encoded `ConfirmedTranscriptHashInput` (§8.2): wire format, content and signature.
    public var confirmedTranscriptHashInput: [UInt8] {
        var encoder = TLSEncoder(capacity: 512)
        encoder.write(wireFormat)
        encoder.write(content)
        encoder.writeOpaque(auth.signature)
        return encoder.bytes
    }

    /// The encoded `FramedContentTBS` (§6.1) for this content; `context` is required for
    /// `member` and `new_member_commit` senders and ignored for the others.
    public static func toBeSigned(wireFormat: WireFormat, content: FramedContent, context: GroupContext?) -> [UInt8] {
        var encoder = TLSEncoder(capacity: 512)
        writeToBeSigned(wireFormat: wireFormat, content: content, context: context, to: &encoder)
        return encoder.bytes
    }

    /// Writes `FramedContentTBS` into `encoder`.
    static func writeToBeSigned(wireFormat: WireFormat, content: FramedContent, context: GroupContext?, to encoder: inout TLSEncoder) {
        encoder.write(ProtocolVersion.mls10)
        encoder.write(wireFormat)
        encoder.write(content)
        switch content.sender {
        case .member, .newMemberCommit:
            if let context { encoder.write(context) }
        case .external, .newMemberProposal:
            break
        }
    }

    /// The encoded `SignContent { "MLS 1.0 FramedContentTBS"; FramedContentTBS }` (§5.1.2),
    /// built in one buffer: the bytes that are actually signed and verified.
    static func signContent(wireFormat: WireFormat, content: FramedContent, context: GroupContext?) -> [UInt8] {
        var encoder = TLSEncoder(capacity: 320 + content.authenticatedData.count + content.groupID.count + content.content.sizeHint
                                          + (context.map { $0.treeHash.count + $0.confirmedTranscriptHash.count + $0.groupID.count } ?? 0))
        encoder.writeLabel("FramedContentTBS")
        encoder.writeVector { inner in
            writeToBeSigned(wireFormat: wireFormat, content: content, context: context, to: &inner)
        }
        return encoder.bytes
    }
}
