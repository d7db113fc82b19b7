import IsnadMLS

extension Checks {
    /// Tree Validation: resolution and tree hash of every node, parent hashes, leaf signatures.
    static let treeValidation: @Sendable (VectorCase) throws -> CaseOutcome = { vector in
        let provider = try Checks.provider(vector)
        var tree = try RatchetTree(try RatchetTreeNodes(decoding: try vector.hex("tree")))
        guard let resolutions = try vector.value("resolutions") as? [[Any]],
              let hashes = try vector.value("tree_hashes") as? [String] else {
            throw VectorFormatError("resolutions or tree_hashes has the wrong shape")
        }
        try expect(resolutions.count == tree.nodes.count, "the tree has \(tree.nodes.count) nodes, the vector \(resolutions.count)")
        for (index, expected) in resolutions.enumerated() {
            let computed = tree.resolution(NodeIndex(UInt32(index))).map { Int($0.rawValue) }
            try expect(computed == expected.compactMap { ($0 as? NSNumberConvertible)?.intValue }, "resolution of node \(index)")
        }
        for (index, hex) in hashes.enumerated() {
            try expectEqual(tree.treeHash(provider, at: NodeIndex(UInt32(index))), [UInt8](hexString: hex) ?? [], "tree hash of node \(index)")
        }
        try tree.validate(provider, groupID: try vector.hex("group_id"))
        return .passed
    }

    /// Tree Operations: apply an Add, Update or Remove and compare the tree and its hash.
    static let treeOperations: @Sendable (VectorCase) throws -> CaseOutcome = { vector in
        let provider = try Checks.provider(vector)
        var tree = try RatchetTree(try RatchetTreeNodes(decoding: try vector.hex("tree_before")))
        try expectEqual(tree.treeHash(provider), try vector.hex("tree_hash_before"), "tree_hash_before")
        let sender = LeafIndex(UInt32(try vector.integer("proposal_sender")))
        switch try Proposal(decoding: try vector.hex("proposal")) {
        case .add(let keyPackage): tree.add(keyPackage.leafNode)
        case .update(let leaf): tree.update(sender, with: leaf)
        case .remove(let removed): tree.remove(removed)
        default: throw CheckFailure("the proposal is not an add, update or remove")
        }
        try expectEqual(tree.wire.encoded, try vector.hex("tree_after"), "tree_after")
        try expectEqual(tree.treeHash(provider), try vector.hex("tree_hash_after"), "tree_hash_after")
        return .passed
    }
}

/// JSON numbers arrive as NSNumber; this keeps the conversion in one place.
protocol NSNumberConvertible { var intValue: Int { get } }
