/// `GroupContext` (§8.1): the summary of a group's state that every epoch's secrets bind to.
public struct GroupContext: MLSCodable, Hashable, Sendable {
    public var version: ProtocolVersion
    public var cipherSuite: CipherSuite
    public var groupID: [UInt8]
    public var epoch: UInt64
    public var treeHash: [UInt8]
    public var confirmedTranscriptHash: [UInt8]
    public var extensions: [Extension]

    public init(version: ProtocolVersion = .mls10, cipherSuite: CipherSuite, groupID: [UInt8], epoch: UInt64,
                treeHash: [UInt8], confirmedTranscriptHash: [UInt8], extensions: [Extension] = []) {
        self.version = version
        self.cipherSuite = cipherSuite
        self.groupID = groupID
        self.epoch = epoch
        self.treeHash = treeHash
        self.confirmedTranscriptHash = confirmedTranscriptHash
        self.extensions = extensions
    }

    public func encode(to encoder: inout TLSEncoder) {
        encoder.write(version)
        encoder.write(cipherSuite)
        encoder.writeOpaque(groupID)
        encoder.write(epoch)
        encoder.writeOpaque(treeHash)
        encoder.writeOpaque(confirmedTranscriptHash)
        encoder.writeVector(extensions)
    }

    public init(from decoder: inout TLSDecoder) throws {
        version = try decoder.read()
        cipherSuite = try decoder.read()
        groupID = try decoder.readOpaque("group_id")
        epoch = try decoder.readUInt64("epoch")
        treeHash = try decoder.readOpaque("tree_hash")
        confirmedTranscriptHash = try decoder.readOpaque("confirmed_transcript_hash")
        extensions = try decoder.readVector("extensions")
    }
}
