/// The public state of a group's ratchet tree in array form (RFC 9420 §4, §7, Appendix C).
///
/// The tree always has a power-of-two number of leaves; `nodes[i]` is `nil` for a blank node.
/// Tree hashes are cached per node and invalidated along the direct path of every change, so
/// a commit re-hashes only the changed path (§7.8).
public struct RatchetTree: Sendable {
    /// The nodes, in array order, padded with blanks to `2 * leafCount - 1` entries.
    public private(set) var nodes: [Node?]
    /// Cached tree hashes by node index; `nil` where not computed or invalidated.
    var hashCache: [[UInt8]?]

    /// The largest tree accepted from the wire: 2^21 - 1 nodes (1,048,576 leaves).
    public static let maximumNodeCount = (1 << 21) - 1

    /// The number of leaves (a power of two).
    public var leafCount: UInt32 { UInt32((nodes.count + 1) / 2) }

    /// A one-member tree holding `leaf`.
    public init(leaf: LeafNode) {
        nodes = [.leaf(leaf)]
        hashCache = [nil]
    }

    /// Imports the wire form (§12.4.3.3): the last node must be non-blank; the array is
    /// extended with blanks to `2^(d+1) - 1` entries; leaves sit at even indices and parents at odd ones.
    /// - Throws: ``MLSError`` `.invalidValue` for an empty tree, a trailing blank, or a node of the wrong type for its position.
    public init(_ wire: RatchetTreeNodes) throws {
        guard let last = wire.nodes.last else {
            throw MLSError.badInput(.invalidValue, "the ratchet tree is empty", rfc: "§12.4.3.3")
        }
        guard last != nil else {
            throw MLSError.badInput(.invalidValue, "the ratchet tree ends with a blank node", rfc: "§12.4.3.3")
        }
        // A hostile tree of a billion one-byte blank nodes would otherwise allocate gigabytes.
        guard wire.nodes.count <= Self.maximumNodeCount else {
            throw MLSError.badInput(.invalidValue, "the ratchet tree has \(wire.nodes.count) nodes; at most \(Self.maximumNodeCount) are accepted", rfc: "§12.4.3.3")
        }
        var width = 1
        while 2 * width - 1 < wire.nodes.count { width *= 2 }
        var nodes = wire.nodes
        nodes.append(contentsOf: repeatElement(nil, count: 2 * width - 1 - nodes.count))
        for (index, node) in nodes.enumerated() {
            switch node {
            case .leaf where index % 2 != 0, .parent where index % 2 == 0:
                throw MLSError.badInput(.invalidValue, "node \(index) of the ratchet tree has the wrong type for its position", rfc: "§12.4.3.3")
            default: break
            }
        }
        self.nodes = nodes
        self.hashCache = Array(repeating: nil, count: nodes.count)
    }

    /// The wire form, without trailing blanks (§12.4.3.3).
    public var wire: RatchetTreeNodes {
        var end = nodes.count
        while end > 0, nodes[end - 1] == nil { end -= 1 }
        return RatchetTreeNodes(Array(nodes[..<end]))
    }

    // MARK: Access

    /// The leaf node at `leaf`, or `nil` if blank or outside the tree.
    public func leaf(_ leaf: LeafIndex) -> LeafNode? {
        let index = Int(leaf.rawValue) * 2
        guard index < nodes.count, case .leaf(let node) = nodes[index] else { return nil }
        return node
    }

    /// The parent node at `index`, or `nil` if blank, a leaf, or outside the tree.
    public func parent(_ index: NodeIndex) -> ParentNode? {
        guard Int(index.rawValue) < nodes.count, case .parent(let node) = nodes[Int(index.rawValue)] else { return nil }
        return node
    }

    /// Whether the node is blank (or outside the tree).
    public func isBlank(_ index: NodeIndex) -> Bool {
        Int(index.rawValue) >= nodes.count || nodes[Int(index.rawValue)] == nil
    }

    /// The non-blank leaves, in order.
    public var occupiedLeaves: [LeafIndex] {
        stride(from: 0, to: nodes.count, by: 2).compactMap { nodes[$0] == nil ? nil : LeafIndex(UInt32($0 / 2)) }
    }

    /// The root's node index.
    public var root: NodeIndex { TreeMath.root(leafCount) }

    /// Sets a node and invalidates the cached tree hashes from it to the root.
    mutating func setNode(_ node: Node?, at index: NodeIndex) {
        nodes[Int(index.rawValue)] = node
        invalidate(from: index)
    }

    /// Forgets cached hashes on the path from `index` to the root.
    mutating func invalidate(from index: NodeIndex) {
        var current: NodeIndex? = index
        while let node = current {
            hashCache[Int(node.rawValue)] = nil
            current = TreeMath.parent(node, leafCount: leafCount)
        }
    }

    // MARK: Resolution and paths (§4.1)

    /// The resolution of a node: itself (plus its unmerged leaves) if non-blank, else the
    /// resolutions of its children; empty for a blank leaf.
    public func resolution(_ index: NodeIndex) -> [NodeIndex] {
        var result: [NodeIndex] = []
        appendResolution(index, to: &result)
        return result
    }

    private func appendResolution(_ index: NodeIndex, to result: inout [NodeIndex]) {
        switch nodes[Int(index.rawValue)] {
        case .leaf:
            result.append(index)
        case .parent(let parent):
            result.append(index)
            result.append(contentsOf: parent.unmergedLeaves.map(\.nodeIndex))
        case nil:
            guard let left = TreeMath.left(index), let right = TreeMath.right(index) else { return }
            appendResolution(left, to: &result)
            appendResolution(right, to: &result)
        }
    }

    /// The filtered direct path of a leaf (§4.1.2): the nodes of its direct path whose child on
    /// the copath has a non-empty resolution, paired with that copath child.
    public func filteredDirectPath(_ leaf: LeafIndex) -> [(node: NodeIndex, copathChild: NodeIndex)] {
        var result: [(NodeIndex, NodeIndex)] = []
        var child = leaf.nodeIndex
        while let parent = TreeMath.parent(child, leafCount: leafCount), let sibling = TreeMath.sibling(child, leafCount: leafCount) {
            if hasNonBlank(sibling) { result.append((parent, sibling)) }
            child = parent
        }
        return result
    }

    /// Whether the subtree under `index` holds any non-blank node (its resolution is non-empty).
    func hasNonBlank(_ index: NodeIndex) -> Bool {
        if nodes[Int(index.rawValue)] != nil { return true }
        guard let left = TreeMath.left(index), let right = TreeMath.right(index) else { return false }
        return hasNonBlank(left) || hasNonBlank(right)
    }

    // MARK: Changes (§7.7, §12.1)

    /// Adds a leaf at the leftmost blank leaf, extending the tree if none is blank, and records
    /// it as unmerged at every non-blank parent above it (§12.1.1).
    @discardableResult
    public mutating func add(_ leafNode: LeafNode) -> LeafIndex {
        add(leafNode, searchingFrom: LeafIndex(0))
    }

    /// ``add(_:)`` when every leaf before `start` is known to be occupied (successive Adds of
    /// one commit), so the search for the leftmost blank leaf does not start over each time.
    @discardableResult
    mutating func add(_ leafNode: LeafNode, searchingFrom start: LeafIndex) -> LeafIndex {
        var blank: Int?
        var candidate = Int(start.rawValue) * 2
        while candidate < nodes.count {
            if case .none = nodes[candidate] {
                blank = candidate
                break
            }
            candidate += 2
        }
        let slot: Int
        if let blank {
            slot = blank
        } else {
            // Extend: the old tree becomes the left subtree of a new blank root (its cached
            // hashes stay valid); the new right subtree is blank.
            let oldCount = nodes.count
            nodes.append(contentsOf: repeatElement(nil, count: oldCount + 1))
            hashCache.append(contentsOf: repeatElement(nil, count: oldCount + 1))
            slot = oldCount + 1
        }
        let index = LeafIndex(UInt32(slot / 2))
        setNode(.leaf(leafNode), at: index.nodeIndex)
        for ancestor in TreeMath.directPath(index.nodeIndex, leafCount: leafCount) {
            guard case .parent(var parent) = nodes[Int(ancestor.rawValue)] else { continue }
            let position = parent.unmergedLeaves.firstIndex { $0 > index } ?? parent.unmergedLeaves.count
            parent.unmergedLeaves.insert(index, at: position)
            setNode(.parent(parent), at: ancestor)
        }
        return index
    }

    /// Replaces a member's leaf and blanks its direct path (an Update proposal, §12.1.2).
    public mutating func update(_ leaf: LeafIndex, with leafNode: LeafNode) {
        setNode(.leaf(leafNode), at: leaf.nodeIndex)
        blankDirectPath(leaf)
    }

    /// Blanks a member's leaf and direct path, then truncates blank right halves (§12.1.3).
    public mutating func remove(_ leaf: LeafIndex) {
        setNode(nil, at: leaf.nodeIndex)
        blankDirectPath(leaf)
        truncate()
    }

    /// Blanks every node on the direct path of `leaf`.
    public mutating func blankDirectPath(_ leaf: LeafIndex) {
        for node in TreeMath.directPath(leaf.nodeIndex, leafCount: leafCount) where nodes[Int(node.rawValue)] != nil {
            setNode(nil, at: node)
        }
    }

    /// Halves the tree while the root's right subtree is entirely blank (§7.7).
    mutating func truncate() {
        while leafCount > 1, let right = TreeMath.right(root), !hasNonBlank(right) {
            let keep = (nodes.count - 1) / 2
            nodes.removeLast(nodes.count - keep)
            hashCache.removeLast(hashCache.count - keep)
        }
    }
}
