extension RatchetTree {
    // MARK: Tree hashes (§7.8)

    /// The tree hash of the root, computing and caching what is missing.
    public mutating func treeHash(_ provider: CipherSuiteProvider) -> [UInt8] {
        treeHash(provider, at: root)
    }

    /// The tree hash of the subtree under `index`, computing and caching what is missing.
    public mutating func treeHash(_ provider: CipherSuiteProvider, at index: NodeIndex) -> [UInt8] {
        if let cached = hashCache[Int(index.rawValue)] { return cached }
        let hash: [UInt8]
        if let leafIndex = index.leafIndex {
            hash = provider.hash(Self.leafHashInput(leafIndex, leaf(leafIndex)))
        } else {
            let left = TreeMath.left(index) ?? index, right = TreeMath.right(index) ?? index
            let leftHash = treeHash(provider, at: left)
            let rightHash = treeHash(provider, at: right)
            hash = provider.hash(Self.parentHashInput(parent(index), leftHash, rightHash))
        }
        hashCache[Int(index.rawValue)] = hash
        return hash
    }

    /// `TreeHashInput` for a leaf: `leaf(1) || uint32 leaf_index || optional<LeafNode>`.
    static func leafHashInput(_ index: LeafIndex, _ leaf: LeafNode?) -> [UInt8] {
        var encoder = TLSEncoder(capacity: 256)
        encoder.write(NodeType.leaf)
        encoder.write(index.rawValue)
        encoder.writeOptional(leaf) { $0.encode(to: &$1) }
        return encoder.bytes
    }

    /// `TreeHashInput` for a parent: `parent(2) || optional<ParentNode> || left_hash<V> || right_hash<V>`.
    static func parentHashInput(_ parent: ParentNode?, _ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        var encoder = TLSEncoder(capacity: 160 + left.count + right.count)
        encoder.write(NodeType.parent)
        encoder.writeOptional(parent) { $0.encode(to: &$1) }
        encoder.writeOpaque(left)
        encoder.writeOpaque(right)
        return encoder.bytes
    }

    /// The tree hash of `index` in the tree with every leaf of `excluded` blanked and removed
    /// from all unmerged-leaf lists (the "original sibling tree hash" of §7.9). Subtrees that
    /// hold no excluded leaf reuse the ordinary (cached) hash.
    mutating func treeHash(_ provider: CipherSuiteProvider, at index: NodeIndex, excluding excluded: [LeafIndex]) -> [UInt8] {
        let inside = excluded.filter { TreeMath.isAncestor(index, of: $0.nodeIndex) }
        if inside.isEmpty { return treeHash(provider, at: index) }
        if let leafIndex = index.leafIndex {
            return provider.hash(Self.leafHashInput(leafIndex, nil))
        }
        let left = TreeMath.left(index) ?? index, right = TreeMath.right(index) ?? index
        let leftHash = treeHash(provider, at: left, excluding: inside)
        let rightHash = treeHash(provider, at: right, excluding: inside)
        var node = parent(index)
        node?.unmergedLeaves.removeAll { inside.contains($0) }
        return provider.hash(Self.parentHashInput(node, leftHash, rightHash))
    }

    // MARK: Parent hashes (§7.9)

    /// The parent hash of parent node `parent` with copath child `sibling`:
    /// `Hash(ParentHashInput { encryption_key; parent_hash; original_sibling_tree_hash })`.
    mutating func parentHash(_ provider: CipherSuiteProvider, of parentIndex: NodeIndex, sibling: NodeIndex) -> [UInt8]? {
        guard let node = parent(parentIndex) else { return nil }
        let original = treeHash(provider, at: sibling, excluding: node.unmergedLeaves)
        var encoder = TLSEncoder(capacity: 160)
        encoder.write(node.encryptionKey)
        encoder.writeOpaque(node.parentHash)
        encoder.writeOpaque(original)
        return provider.hash(encoder.bytes)
    }

    /// The `parent_hash` field a node carries (leaf with commit source, or parent).
    func storedParentHash(_ index: NodeIndex) -> [UInt8]? {
        switch nodes[Int(index.rawValue)] {
        case .leaf(let leaf):
            if case .commit(let hash) = leaf.source { return hash }
            return nil
        case .parent(let parent):
            return parent.parentHash
        case nil:
            return nil
        }
    }

    /// Checks that every non-blank parent node is parent-hash valid (§7.9.2), top down: each
    /// must have exactly one descendant D whose `parent_hash` is this node's parent hash with
    /// the copath child S, with D in the resolution of the other child C and this node's
    /// unmerged leaves under C equal to that resolution without D.
    /// - Throws: ``MLSError`` `.invalidValue` naming the first node that fails.
    public mutating func verifyParentHashes(_ provider: CipherSuiteProvider) throws {
        for index in stride(from: 1, to: nodes.count, by: 2) {
            let p = NodeIndex(UInt32(index))
            guard let node = parent(p), let left = TreeMath.left(p), let right = TreeMath.right(p) else { continue }
            var matches = 0
            for (c, s) in [(left, right), (right, left)] {
                guard let expected = parentHash(provider, of: p, sibling: s) else { continue }
                let resolutionC = resolution(c)
                let unmergedUnderC = node.unmergedLeaves.map(\.nodeIndex).filter { TreeMath.isAncestor(c, of: $0) }
                for d in resolutionC {
                    guard let stored = storedParentHash(d), stored == expected else { continue }
                    let rest = resolutionC.filter { $0 != d }
                    if Set(rest) == Set(unmergedUnderC) && rest.count == unmergedUnderC.count { matches += 1 }
                }
            }
            guard matches == 1 else {
                throw MLSError.badInput(.invalidValue, "parent node \(index) is not parent-hash valid (\(matches) matching descendants)", rfc: "§7.9.2")
            }
        }
    }
}
