/// `ParentNode` (§7.1): a subgroup's shared HPKE key, its parent hash and unmerged leaves.
public struct ParentNode: MLSCodable, Hashable, Sendable {
    public var encryptionKey: HPKEPublicKey
    public var parentHash: [UInt8]
    /// Leaves below this node that do not know its private key, in increasing order.
    public var unmergedLeaves: [LeafIndex]

    public init(encryptionKey: HPKEPublicKey, parentHash: [UInt8], unmergedLeaves: [LeafIndex]) {
        self.encryptionKey = encryptionKey
        self.parentHash = parentHash
        self.unmergedLeaves = unmergedLeaves
    }

    public func encode(to encoder: inout TLSEncoder) {
        encoder.write(encryptionKey)
        encoder.writeOpaque(parentHash)
        encoder.writeVector { inner in
            for leaf in unmergedLeaves { inner.write(leaf.rawValue) }
        }
    }

    public init(from decoder: inout TLSDecoder) throws {
        encryptionKey = try decoder.read()
        parentHash = try decoder.readOpaque("parent_hash")
        unmergedLeaves = try decoder.readVector("unmerged_leaves") { inner in
            var leaves: [LeafIndex] = []
            while !inner.isAtEnd { leaves.append(LeafIndex(try inner.readUInt32("unmerged_leaf"))) }
            return leaves
        }
    }
}

/// `Node` (§12.4.3.3): a leaf or a parent in the ratchet tree.
public enum Node: MLSCodable, Hashable, Sendable {
    case leaf(LeafNode)
    case parent(ParentNode)

    public func encode(to encoder: inout TLSEncoder) {
        switch self {
        case .leaf(let leaf):
            encoder.write(NodeType.leaf)
            encoder.write(leaf)
        case .parent(let parent):
            encoder.write(NodeType.parent)
            encoder.write(parent)
        }
    }

    public init(from decoder: inout TLSDecoder) throws {
        switch try decoder.read(NodeType.self) {
        case .leaf: self = .leaf(try decoder.read())
        case .parent: self = .parent(try decoder.read())
        }
    }
}

/// The wire form of a ratchet tree, `optional<Node> ratchet_tree<V>` (§12.4.3.3): nodes in
/// array order, `nil` for blank ones. Structural checks (odd length, leaves at even indices,
/// no trailing blank) belong to the tree itself.
public struct RatchetTreeNodes: MLSCodable, Hashable, Sendable {
    public var nodes: [Node?]
    public init(_ nodes: [Node?]) { self.nodes = nodes }

    public func encode(to encoder: inout TLSEncoder) {
        encoder.writeVector { inner in
            for node in nodes { inner.writeOptional(node) { $0.encode(to: &$1) } }
        }
    }

    public init(from decoder: inout TLSDecoder) throws {
        nodes = try decoder.readVector("ratchet_tree") { inner in
            var nodes: [Node?] = []
            while !inner.isAtEnd { nodes.append(try inner.readOptional("node") { try Node(from: &$0) }) }
            return nodes
        }
    }
}
