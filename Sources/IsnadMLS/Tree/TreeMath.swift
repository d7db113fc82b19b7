/// The index of a leaf among the leaves of a ratchet tree (§4.1, Appendix C).
public struct LeafIndex: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public init(_ value: UInt32) { rawValue = value }
    /// The leaf's node index in the array representation: `2 * leaf`.
    public var nodeIndex: NodeIndex { NodeIndex(rawValue &* 2) }
    public var description: String { "leaf \(rawValue)" }
    public static func < (lhs: LeafIndex, rhs: LeafIndex) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The index of a node in the array representation of a tree (Appendix C).
public struct NodeIndex: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public init(_ value: UInt32) { rawValue = value }
    /// Whether this is a leaf (even index).
    public var isLeaf: Bool { rawValue & 1 == 0 }
    /// The leaf index of a leaf node.
    public var leafIndex: LeafIndex? { isLeaf ? LeafIndex(rawValue / 2) : nil }
    public var description: String { "node \(rawValue)" }
    public static func < (lhs: NodeIndex, rhs: NodeIndex) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Arithmetic on the array representation of a complete binary tree (RFC 9420 Appendix C).
///
/// `leafCount` is the width of the tree in leaves; RFC 9420 trees always have a power of
/// two leaves, but these functions follow Appendix C for any width.
public enum TreeMath {
    /// `log2(x)`: the exponent of the largest power of 2 not above `x` (0 for 0).
    static func log2(_ x: UInt32) -> UInt32 {
        x == 0 ? 0 : UInt32(31 - x.leadingZeroBitCount)
    }

    /// The level of a node: 0 for leaves, one more than its children's for parents.
    public static func level(_ x: NodeIndex) -> UInt32 {
        UInt32((~x.rawValue).trailingZeroBitCount)
    }

    /// The number of nodes in a tree of `leafCount` leaves.
    public static func nodeWidth(_ leafCount: UInt32) -> UInt32 {
        leafCount == 0 ? 0 : 2 * (leafCount - 1) + 1
    }

    /// The root of a tree of `leafCount` leaves (`leafCount` ≥ 1).
    public static func root(_ leafCount: UInt32) -> NodeIndex {
        NodeIndex((1 << log2(nodeWidth(leafCount))) - 1)
    }

    /// The left child of a parent node, or `nil` for a leaf.
    public static func left(_ x: NodeIndex) -> NodeIndex? {
        let k = level(x)
        return k == 0 ? nil : NodeIndex(x.rawValue ^ (1 << (k - 1)))
    }

    /// The right child of a parent node, or `nil` for a leaf.
    public static func right(_ x: NodeIndex) -> NodeIndex? {
        let k = level(x)
        return k == 0 ? nil : NodeIndex(x.rawValue ^ (3 << (k - 1)))
    }

    /// The parent of a node, or `nil` for the root (or a node outside the tree).
    public static func parent(_ x: NodeIndex, leafCount: UInt32) -> NodeIndex? {
        guard x != root(leafCount), x.rawValue < nodeWidth(leafCount) else { return nil }
        let k = level(x)
        let b = (x.rawValue >> (k + 1)) & 1
        return NodeIndex((x.rawValue | (1 << k)) ^ (b << (k + 1)))
    }

    /// The other child of a node's parent, or `nil` for the root.
    public static func sibling(_ x: NodeIndex, leafCount: UInt32) -> NodeIndex? {
        guard let p = parent(x, leafCount: leafCount) else { return nil }
        return x < p ? right(p) : left(p)
    }

    /// The direct path of a node, from its parent up to the root.
    public static func directPath(_ x: NodeIndex, leafCount: UInt32) -> [NodeIndex] {
        var path: [NodeIndex] = []
        var node = x
        while let p = parent(node, leafCount: leafCount) {
            path.append(p)
            node = p
        }
        return path
    }

    /// Whether `ancestor` is `x` itself or lies on `x`'s direct path: its subtree spans
    /// `ancestor ± (2^level - 1)`.
    public static func isAncestor(_ ancestor: NodeIndex, of x: NodeIndex) -> Bool {
        let span = (UInt64(1) << UInt64(level(ancestor))) - 1
        let a = UInt64(ancestor.rawValue), n = UInt64(x.rawValue)
        return n + span >= a && n <= a + span
    }
}
