/// Which of a member's two hash ratchets a key comes from (§9).
public enum RatchetType: Sendable, Hashable {
    /// Proposals and commits.
    case handshake
    /// Application messages.
    case application
}

/// A key and nonce from a hash ratchet, used for exactly one message.
public struct RatchetKey: Sendable, Equatable {
    public let generation: UInt32
    public let key: SecretBytes
    public let nonce: SecretBytes
}

/// The secret tree of one epoch (§9) with its per-member hash ratchets (§9.1).
///
/// Node secrets are derived lazily from `encryption_secret` and deleted once their children
/// exist; each ratchet keeps its next secret plus a bounded window of keys for messages that
/// arrive out of order (§9.2, deletion schedule):
///
/// ```
/// encryption_secret ── "tree","left"/"right" ──▶ … ──▶ leaf secret
///   leaf secret ── "handshake" ──▶ HR0 ─▶ HR1 ─▶ …      each step: "key", "nonce", "secret"
///               ── "application" ─▶ AR0 ─▶ AR1 ─▶ …
/// ```
public struct SecretTree: Sendable {
    /// Bounds that keep a hostile or broken sender from making a receiver derive or store without limit.
    public struct Configuration: Sendable, Hashable {
        /// How far past a ratchet's next generation a receiver will derive. Default 1024.
        public var maximumForwardDistance: UInt32
        /// How many skipped keys each ratchet keeps for late messages; the oldest go first. Default 128.
        public var maximumRetainedKeys: Int

        public init(maximumForwardDistance: UInt32 = 1024, maximumRetainedKeys: Int = 128) {
            self.maximumForwardDistance = maximumForwardDistance
            self.maximumRetainedKeys = maximumRetainedKeys
        }

        /// The documented defaults.
        public static let `default` = Configuration()
    }

    struct HashRatchet: Sendable {
        var nextGeneration: UInt32 = 0
        var secret: [UInt8]
        /// Keys for skipped generations, in increasing generation order.
        var retained: [RatchetKey] = []
        var isExhausted = false
    }

    let provider: CipherSuiteProvider
    /// The number of leaves of the tree.
    public let leafCount: UInt32
    public let configuration: Configuration
    var nodeSecrets: [UInt32: [UInt8]]
    var handshake: [UInt32: HashRatchet] = [:]
    var application: [UInt32: HashRatchet] = [:]

    /// Creates the tree of an epoch.
    public init(_ provider: CipherSuiteProvider, encryptionSecret: SecretBytes, leafCount: UInt32, configuration: Configuration = .default) {
        self.provider = provider
        self.leafCount = max(leafCount, 1)
        self.configuration = configuration
        nodeSecrets = [TreeMath.root(self.leafCount).rawValue: encryptionSecret.bytes]
    }

    /// The next key for sending from `leaf`; the ratchet moves past it.
    public mutating func nextKey(for leaf: LeafIndex, _ type: RatchetType) throws -> RatchetKey {
        try prepareRatchets(leaf)
        // The ratchets are mutated in place in their dictionary (no copy of the retained keys).
        switch type {
        case .handshake: return try Self.advance(&handshake[leaf.rawValue, default: HashRatchet(secret: [])], provider)
        case .application: return try Self.advance(&application[leaf.rawValue, default: HashRatchet(secret: [])], provider)
        }
    }

    /// The key for receiving generation `generation` from `leaf`. The key is consumed: asking
    /// again for the same generation fails.
    /// - Throws: ``MLSError`` `.generationTooFarAhead` past the forward bound, `.generationConsumed`
    ///   for a generation already used or evicted, `.leafOutOfRange` for a leaf outside the tree.
    public mutating func key(for leaf: LeafIndex, _ type: RatchetType, generation: UInt32) throws -> RatchetKey {
        try prepareRatchets(leaf)
        switch type {
        case .handshake:
            return try Self.receive(&handshake[leaf.rawValue, default: HashRatchet(secret: [])], leaf, generation, configuration, provider)
        case .application:
            return try Self.receive(&application[leaf.rawValue, default: HashRatchet(secret: [])], leaf, generation, configuration, provider)
        }
    }

    private static func receive(_ ratchet: inout HashRatchet, _ leaf: LeafIndex, _ generation: UInt32,
                                _ configuration: Configuration, _ provider: CipherSuiteProvider) throws -> RatchetKey {
        if generation < ratchet.nextGeneration || ratchet.isExhausted {
            guard let index = ratchet.retained.firstIndex(where: { $0.generation == generation }) else {
                throw MLSError.badInput(.generationConsumed,
                                        "generation \(generation) of \(leaf) was already used or is older than the \(configuration.maximumRetainedKeys) keys kept",
                                        rfc: "§9.2")
            }
            return ratchet.retained.remove(at: index)
        }
        let distance = generation - ratchet.nextGeneration
        guard distance <= configuration.maximumForwardDistance else {
            throw MLSError.badInput(.generationTooFarAhead,
                                    "generation \(generation) of \(leaf) is \(distance) past the next expected one; the limit is \(configuration.maximumForwardDistance)",
                                    rfc: "§9.2")
        }
        while ratchet.nextGeneration < generation {
            let skipped = try advance(&ratchet, provider)
            if configuration.maximumRetainedKeys > 0 {
                if ratchet.retained.count >= configuration.maximumRetainedKeys { ratchet.retained.removeFirst() }
                ratchet.retained.append(skipped)
            }
        }
        return try advance(&ratchet, provider)
    }

    /// Derives generation `nextGeneration`'s key and nonce and steps the ratchet (§9.1).
    private static func advance(_ ratchet: inout HashRatchet, _ provider: CipherSuiteProvider) throws -> RatchetKey {
        guard !ratchet.isExhausted else {
            throw MLSError.badInput(.generationExhausted, "the ratchet has used all 2^32 generations of this epoch", rfc: "§9.1")
        }
        let generation = ratchet.nextGeneration
        let (nonce, key, next) = provider.ratchetStep(ratchet.secret, generation: generation)
        ratchet.secret = next
        if generation == UInt32.max { ratchet.isExhausted = true } else { ratchet.nextGeneration = generation + 1 }
        return RatchetKey(generation: generation, key: SecretBytes(key), nonce: SecretBytes(nonce))
    }

    /// Checks the leaf and derives its two ratchets on first use.
    /// What consuming a key of `leaf` may change: its two ratchets and, before they are first
    /// derived, the node secrets on its path (§9.2 deletes them).
    struct Snapshot: Sendable {
        let leaf: UInt32
        let handshake: HashRatchet?
        let application: HashRatchet?
        let nodeSecrets: [UInt32: [UInt8]]?
    }

    /// Saves what consuming a key of `leaf` may change, so a failed receive can be undone
    /// without copying the whole tree first.
    func snapshot(for leaf: LeafIndex) -> Snapshot {
        let derived = handshake[leaf.rawValue] != nil
        return Snapshot(leaf: leaf.rawValue, handshake: handshake[leaf.rawValue], application: application[leaf.rawValue],
                        nodeSecrets: derived ? nil : nodeSecrets)
    }

    /// Puts back what ``snapshot(for:)`` saved.
    mutating func restore(_ snapshot: Snapshot) {
        handshake[snapshot.leaf] = snapshot.handshake
        application[snapshot.leaf] = snapshot.application
        if let saved = snapshot.nodeSecrets { nodeSecrets = saved }
    }

    private mutating func prepareRatchets(_ leaf: LeafIndex) throws {
        guard leaf.rawValue < leafCount else {
            throw MLSError.badInput(.leafOutOfRange, "\(leaf) is outside a tree of \(leafCount) leaves", rfc: "§9")
        }
        if handshake[leaf.rawValue] == nil { try deriveLeafRatchets(leaf) }
    }

    /// Walks down from the nearest ancestor whose secret is still held, deriving both children
    /// at each step and deleting the consumed parent secret.
    private mutating func deriveLeafRatchets(_ leaf: LeafIndex) throws {
        let target = leaf.nodeIndex
        var node = TreeMath.root(leafCount)
        // The nearest held ancestor lies on the path from the root to the leaf.
        while nodeSecrets[node.rawValue] == nil {
            guard let left = TreeMath.left(node), let right = TreeMath.right(node) else {
                throw MLSError.badInput(.generationConsumed, "the ratchets of \(leaf) were already derived and deleted in this epoch", rfc: "§9.2")
            }
            node = target < node ? left : right
        }
        while node != target {
            guard let secret = nodeSecrets.removeValue(forKey: node.rawValue),
                  let left = TreeMath.left(node), let right = TreeMath.right(node) else { break }
            nodeSecrets[left.rawValue] = provider.expandWithLabel(secret: secret, label: "tree", context: Array("left".utf8), length: provider.hashLength)
            nodeSecrets[right.rawValue] = provider.expandWithLabel(secret: secret, label: "tree", context: Array("right".utf8), length: provider.hashLength)
            node = target < node ? left : right
        }
        guard let leafSecret = nodeSecrets.removeValue(forKey: target.rawValue) else {
            throw MLSError(.primitiveFailed, .internal, "secret tree could not reach \(leaf)")
        }
        handshake[leaf.rawValue] = HashRatchet(secret: provider.expandWithLabel(secret: leafSecret, label: "handshake", context: [], length: provider.hashLength))
        application[leaf.rawValue] = HashRatchet(secret: provider.expandWithLabel(secret: leafSecret, label: "application", context: [], length: provider.hashLength))
    }
}
