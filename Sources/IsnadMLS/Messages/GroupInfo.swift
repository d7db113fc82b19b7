/// `GroupInfo` (§12.4.3): the group's public state, signed by a member, sent to joiners.
public struct GroupInfo: MLSCodable, Hashable, Sendable {
    public var groupContext: GroupContext
    public var extensions: [Extension]
    public var confirmationTag: [UInt8]
    public var signer: LeafIndex
    public var signature: [UInt8]

    public init(groupContext: GroupContext, extensions: [Extension], confirmationTag: [UInt8], signer: LeafIndex, signature: [UInt8]) {
        self.groupContext = groupContext
        self.extensions = extensions
        self.confirmationTag = confirmationTag
        self.signer = signer
        self.signature = signature
    }

    /// The encoded `GroupInfoTBS`: every field but the signature.
    public var toBeSigned: [UInt8] {
        var encoder = TLSEncoder(capacity: 256)
        encoder.write(groupContext)
        encoder.writeVector(extensions)
        encoder.writeOpaque(confirmationTag)
        encoder.write(signer.rawValue)
        return encoder.bytes
    }

    public func encode(to encoder: inout TLSEncoder) {
        encoder.writeRaw(toBeSigned)
        encoder.writeOpaque(signature)
    }

    public init(from decoder: inout TLSDecoder) throws {
        groupContext = try decoder.read()
        extensions = try decoder.readVector("extensions")
        confirmationTag = try decoder.readOpaque("confirmation_tag")
        signer = LeafIndex(try decoder.readUInt32("signer"))
        signature = try decoder.readOpaque("signature")
    }
}
