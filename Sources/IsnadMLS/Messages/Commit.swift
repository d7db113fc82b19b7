/// `UpdatePathNode` (§7.6): a new parent public key and the path secret encrypted to each
/// node of the copath node's resolution.
public struct UpdatePathNode: MLSCodable, Hashable, Sendable {
    public var encryptionKey: HPKEPublicKey
    public var encryptedPathSecret: [HPKECiphertext]
    public init(encryptionKey: HPKEPublicKey, encryptedPathSecret: [HPKECiphertext]) {
        self.encryptionKey = encryptionKey
        self.encryptedPathSecret = encryptedPathSecret
    }
    public func encode(to encoder: inout TLSEncoder) {
        encoder.write(encryptionKey)
        encoder.writeVector(encryptedPathSecret)
    }
    public init(from decoder: inout TLSDecoder) throws {
        encryptionKey = try decoder.read()
        encryptedPathSecret = try decoder.readVector("encrypted_path_secret")
    }
}

/// `UpdatePath` (§7.6): the committer's new leaf and the new keys along its filtered direct path.
public struct UpdatePath: MLSCodable, Hashable, Sendable {
    public var leafNode: LeafNode
    public var nodes: [UpdatePathNode]
    public init(leafNode: LeafNode, nodes: [UpdatePathNode]) {
        self.leafNode = leafNode
        self.nodes = nodes
    }
    public func encode(to encoder: inout TLSEncoder) {
        encoder.write(leafNode)
        encoder.writeVector(nodes)
    }
    public init(from decoder: inout TLSDecoder) throws {
        leafNode = try decoder.read()
        nodes = try decoder.readVector("nodes")
    }
}

/// `Commit` (§12.4): the proposals it applies and, optionally, an UpdatePath.
public struct Commit: MLSCodable, Hashable, Sendable {
    public var proposals: [ProposalOrRef]
    public var path: UpdatePath?
    public init(proposals: [ProposalOrRef], path: UpdatePath?) {
        self.proposals = proposals
        self.path = path
    }
    public func encode(to encoder: inout TLSEncoder) {
        encoder.writeVector(proposals)
        encoder.writeOptional(path) { $0.encode(to: &$1) }
    }
    public init(from decoder: inout TLSDecoder) throws {
        proposals = try decoder.readVector("proposals")
        path = try decoder.readOptional("path") { try UpdatePath(from: &$0) }
    }
}
