/// Settings of a group member's state.
public struct GroupConfiguration: Sendable, Hashable {
    /// Bounds of the secret tree's ratchets (see ``SecretTree/Configuration``).
    public var secretTree: SecretTree.Configuration
    /// How many past epochs keep their secrets so late application messages still decrypt. Default 3.
    public var pastEpochsKept: Int
    /// How many past epochs keep their resumption PSK. Default 5.
    public var resumptionPSKsKept: Int

    public init(secretTree: SecretTree.Configuration = .default, pastEpochsKept: Int = 3, resumptionPSKsKept: Int = 5) {
        self.secretTree = secretTree
        self.pastEpochsKept = pastEpochsKept
        self.resumptionPSKsKept = resumptionPSKsKept
    }

    /// The documented defaults.
    public static let `default` = GroupConfiguration()
}

/// A KeyPackage with the private keys its owner keeps to join a group through it (§10).
public struct KeyPackageBundle: Sendable {
    public let keyPackage: KeyPackage
    public let initPrivateKey: HPKEPrivateKey
    public let encryptionPrivateKey: HPKEPrivateKey
    public let signer: SignaturePrivateKey

    public init(keyPackage: KeyPackage, initPrivateKey: HPKEPrivateKey, encryptionPrivateKey: HPKEPrivateKey, signer: SignaturePrivateKey) {
        self.keyPackage = keyPackage
        self.initPrivateKey = initPrivateKey
        self.encryptionPrivateKey = encryptionPrivateKey
        self.signer = signer
    }
}

/// A proposal received in the current epoch, kept until a commit references it (§12.4).
struct PendingProposal: Sendable {
    let reference: [UInt8]
    let proposal: Proposal
    let sender: Sender
}

/// The secrets of an earlier epoch kept for late application messages (§14, bounded).
struct PastEpoch: Sendable {
    let context: GroupContext
    var secretTree: SecretTree
    let senderDataSecret: SecretBytes
    /// The epoch's tree, for its members' signature keys (shared with the current tree by copy-on-write).
    let tree: RatchetTree
}

/// One member's state of an MLS group (RFC 9420 §8–§14), as a value: every transition is a
/// `mutating` method that either completes or leaves the state unchanged (it works on a copy
/// and assigns at the end), so the caller can persist the new state atomically with what the
/// step produced.
public struct Group: Sendable {
    public let provider: CipherSuiteProvider
    /// The current GroupContext (epoch, tree hash, transcript hash, extensions).
    public internal(set) var context: GroupContext
    /// The public ratchet tree.
    public internal(set) var tree: RatchetTree
    /// This member's leaf.
    public internal(set) var myLeaf: LeafIndex
    public let configuration: GroupConfiguration

    var privateKey: TreeKEMPrivateKey
    var signer: SignaturePrivateKey
    var interimTranscriptHash: [UInt8]
    /// The confirmation tag of the commit that started this epoch (for GroupInfo, §12.4.3).
    var confirmationTag: [UInt8]
    var epochSecrets: EpochSecrets
    var secretTree: SecretTree
    var pendingProposals: [PendingProposal] = []
    var pastEpochs: [UInt64: PastEpoch] = [:]
    var resumptionPSKs: [UInt64: SecretBytes] = [:]
    /// Private keys of this member's proposed Update leaves, until a commit applies or drops them.
    var pendingLeafKeys: [HPKEPublicKey: HPKEPrivateKey] = [:]
    /// Set once a commit removed this member: it may no longer send.
    public internal(set) var isActive = true
    /// The ReInit of the commit that started this epoch, if it had one: the group is then
    /// closed (it neither sends nor accepts messages of this epoch) and lives on in the group
    /// ``reinitialize(creator:members:options:configuration:using:)`` creates (§11.2).
    public internal(set) var reInit: ReInit?

    /// The current epoch.
    public var epoch: UInt64 { context.epoch }
    /// The group's ID.
    public var groupID: [UInt8] { context.groupID }
    /// `epoch_authenticator` of the current epoch (§8.7): equal for all members who agree on the group.
    public var epochAuthenticator: SecretBytes { epochSecrets.epochAuthenticator }

    /// `MLS-Exporter(label, context, length)` of the current epoch (§8.5).
    public func export(label: String, context: [UInt8], length: Int) -> SecretBytes {
        epochSecrets.export(provider, label: label, context: context, length: length)
    }

    /// The members' leaves in order.
    public var members: [LeafIndex] { tree.occupiedLeaves }

    /// Keeps the resumption PSK of the current epoch, dropping the oldest beyond the bound.
    mutating func rememberResumptionPSK() {
        resumptionPSKs[context.epoch] = epochSecrets.resumptionPSK
        while resumptionPSKs.count > configuration.resumptionPSKsKept, let oldest = resumptionPSKs.keys.min() {
            resumptionPSKs[oldest] = nil
        }
    }

    /// Moves the current epoch's receiving secrets into the bounded past-epoch window.
    mutating func retireCurrentEpoch() {
        guard configuration.pastEpochsKept > 0 else { return }
        pastEpochs[context.epoch] = PastEpoch(context: context, secretTree: secretTree, senderDataSecret: epochSecrets.senderDataSecret, tree: tree)
        while pastEpochs.count > configuration.pastEpochsKept, let oldest = pastEpochs.keys.min() {
            pastEpochs[oldest] = nil
        }
    }
}
