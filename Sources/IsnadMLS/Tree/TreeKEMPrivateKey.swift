/// The HPKE private keys one member holds in the ratchet tree: its leaf's key and the keys of
/// the parent nodes on its direct path that it has been sent (§4, tree invariant).
public struct TreeKEMPrivateKey: Sendable, CustomStringConvertible {
    /// The member's leaf.
    public let leaf: LeafIndex
    /// Private keys by node index (the leaf's own node included).
    var keys: [NodeIndex: HPKEPrivateKey]

    /// A member's state holding only its leaf key.
    public init(leaf: LeafIndex, encryptionKey: HPKEPrivateKey) {
        self.leaf = leaf
        self.keys = [leaf.nodeIndex: encryptionKey]
    }

    /// The private key of `node`, if held.
    public func key(for node: NodeIndex) -> HPKEPrivateKey? { keys[node] }

    /// The nodes whose private keys are held.
    public var nodes: [NodeIndex] { keys.keys.sorted() }

    /// Sets the private key of a parent node from its path secret:
    /// `DeriveKeyPair(DeriveSecret(path_secret, "node"))` (§7.4).
    public mutating func setPathSecret(_ pathSecret: SecretBytes, for node: NodeIndex, _ provider: CipherSuiteProvider) throws {
        keys[node] = try provider.deriveKeyPair(ikm: provider.deriveSecret(pathSecret.bytes, label: "node")).privateKey
    }

    /// Checks that every held key matches the public key in `tree` at its node (§7, tree invariant).
    /// - Throws: ``MLSError`` `.invalidKey` naming the first node that is blank or holds another key.
    public func checkConsistent(with tree: RatchetTree, _ provider: CipherSuiteProvider) throws {
        for (node, key) in keys {
            let expected: HPKEPublicKey? = switch tree.nodes.indices.contains(Int(node.rawValue)) ? tree.nodes[Int(node.rawValue)] : nil {
            case .leaf(let leaf): leaf.encryptionKey
            case .parent(let parent): parent.encryptionKey
            case nil: nil
            }
            guard let expected, try provider.hpkePublicKey(for: key) == expected else {
                throw MLSError.badInput(.invalidKey, "the private key held for node \(node.rawValue) does not match the tree", rfc: "§7")
            }
        }
    }

    public var description: String { "TreeKEMPrivateKey(\(leaf), \(keys.count) keys, redacted)" }
}
