/// The parameters of a ReInit proposal (§12.1.5): what the follow-up group is to use.
public struct ReInit: Sendable, Hashable {
    public var groupID: [UInt8]
    public var version: ProtocolVersion
    public var cipherSuite: CipherSuite
    public var extensions: [Extension]

    public init(groupID: [UInt8], version: ProtocolVersion = .mls10, cipherSuite: CipherSuite, extensions: [Extension] = []) {
        self.groupID = groupID
        self.version = version
        self.cipherSuite = cipherSuite
        self.extensions = extensions
    }

    /// The ReInit as a proposal to send or commit.
    public var proposal: Proposal {
        .reInit(groupID: groupID, version: version, cipherSuite: cipherSuite, extensions: extensions)
    }
}

/// A resumption PSK of usage `reinit` or `branch` that one operation may use (§11.2, §11.3):
/// the old group's ID and epoch and its `resumption_psk` there. Such PSKs are refused
/// everywhere else (§12.1.4).
struct ResumptionLink: Sendable {
    let usage: ResumptionPSKUsage
    let groupID: [UInt8]
    let epoch: UInt64
    let psk: SecretBytes

    func matches(_ id: PreSharedKeyID) -> Bool {
        guard case .resumption(let usage, let groupID, let epoch) = id.kind else { return false }
        return usage == self.usage && groupID == self.groupID && epoch == self.epoch
    }
}

/// Reinitialization (§11.2) and subgroup branching (§11.3).
///
/// ```
///  old group, epoch e ──commit(ReInit)──▶ epoch e+1: closed (reInit set)
///                                              │ resumption_psk(e+1), usage reinit
///                                              ▼
///  new group (ReInit's ID, suite, extensions) epoch 0 ──commit(Adds of every member, PSK)──▶ epoch 1 ─▶ Welcome
/// ```
/// A branch is the same without the ReInit: any member starts a subgroup of some members,
/// same version and suite, linked by the current epoch's resumption PSK with usage `branch`.
extension Group {
    /// Refuses to send in a group whose ReInit was committed (§11.2).
    func checkNotReinitialized() throws {
        if reInit != nil {
            throw MLSError.misuse(.reinitialized, "a ReInit was committed: this group is closed; continue in the reinitialized group", rfc: "§11.2")
        }
    }

    /// Creates the group that follows a committed ReInit (§11.2): the ReInit's group ID,
    /// version, suite and extensions, created by this member and committed once, with Adds of
    /// every other member and a PreSharedKey of type `resumption`, usage `reinit`, naming
    /// this group's current epoch (the one the ReInit commit started).
    /// - Parameters:
    ///   - creator: this member's KeyPackage for the new group (in the ReInit's cipher suite).
    ///   - members: a fresh KeyPackage of every other member of this group.
    /// - Returns: the new group's first commit: its `group` (epoch 1) and the `welcome` for the others.
    /// - Throws: ``MLSError`` `.misuse` when no ReInit was committed, or the members differ from this group's.
    public func reinitialize<R: RandomNumberGenerator>(creator: KeyPackageBundle, members: [KeyPackage], options: CommitOptions = CommitOptions(),
                                                       configuration: GroupConfiguration = .default, using generator: inout R) throws -> PendingCommit {
        guard let reInit else {
            throw MLSError.misuse(.invalidValue, "no ReInit was committed in this group", rfc: "§11.2")
        }
        let old = Set(tree.occupiedLeaves.compactMap { tree.leaf($0)?.credential })
        let new = [creator.keyPackage.leafNode.credential] + members.map(\.leafNode.credential)
        guard Set(new) == old, new.count == old.count else {
            throw MLSError.misuse(.invalidValue, "a reinitialized group must have the same members as the old one", rfc: "§11.2")
        }
        return try startResumedGroup(usage: .reinit, groupID: reInit.groupID, version: reInit.version, cipherSuite: reInit.cipherSuite,
                                     extensions: reInit.extensions, creator: creator, members: members, options: options,
                                     configuration: configuration, using: &generator)
    }

    /// Starts a subgroup of this group (§11.3): a new group ID, this group's version and
    /// suite, created by this member and committed once with Adds of the chosen members and a
    /// PreSharedKey of type `resumption`, usage `branch`, naming this group's current epoch.
    /// - Parameters:
    ///   - creator: this member's KeyPackage for the subgroup.
    ///   - members: fresh KeyPackages of the other members to include; each must be a member here.
    ///   - extensions: the subgroup's GroupContext extensions.
    /// - Returns: the subgroup's first commit: its `group` (epoch 1) and the `welcome` for the others.
    public func branch<R: RandomNumberGenerator>(groupID: [UInt8], creator: KeyPackageBundle, members: [KeyPackage], extensions: [Extension] = [],
                                                 options: CommitOptions = CommitOptions(), configuration: GroupConfiguration = .default,
                                                 using generator: inout R) throws -> PendingCommit {
        try checkNotReinitialized()
        guard groupID != context.groupID else {
            throw MLSError.misuse(.invalidValue, "a subgroup needs a group ID of its own", rfc: "§11.3")
        }
        let old = Set(tree.occupiedLeaves.compactMap { tree.leaf($0)?.credential })
        let new = [creator.keyPackage.leafNode.credential] + members.map(\.leafNode.credential)
        guard new.allSatisfy(old.contains) else {
            throw MLSError.misuse(.invalidValue, "every member of a subgroup must be a member of the group it branches from", rfc: "§11.3")
        }
        return try startResumedGroup(usage: .branch, groupID: groupID, version: context.version, cipherSuite: context.cipherSuite,
                                     extensions: extensions, creator: creator, members: members, options: options,
                                     configuration: configuration, using: &generator)
    }

    func startResumedGroup<R: RandomNumberGenerator>(
        usage: ResumptionPSKUsage, groupID: [UInt8], version: ProtocolVersion, cipherSuite: CipherSuite, extensions: [Extension],
        creator: KeyPackageBundle, members: [KeyPackage], options: CommitOptions, configuration: GroupConfiguration, using generator: inout R
    ) throws -> PendingCommit {
        guard version == .mls10 else {
            throw MLSError(.unsupportedVersion, .unsupported, "protocol version \(version.rawValue) is not supported", rfc: "§11.2")
        }
        guard creator.keyPackage.cipherSuite == cipherSuite, creator.keyPackage.version == version else {
            throw MLSError.misuse(.invalidValue, "the creator's KeyPackage is not for the new group's cipher suite and version", rfc: "§11.2")
        }
        let link = ResumptionLink(usage: usage, groupID: context.groupID, epoch: context.epoch, psk: epochSecrets.resumptionPSK)
        let group = try Group(creating: groupID, creator: creator, extensions: extensions, configuration: configuration, using: &generator)
        // §11.3: the nonce is fresh and Nh bytes long, as for every PSK.
        let id = PreSharedKeyID(kind: .resumption(usage: usage, groupID: link.groupID, epoch: link.epoch),
                                nonce: randomBytes(group.provider.hashLength, using: &generator))
        return try group.makeCommit(members.map { .add($0) } + [.preSharedKey(id)], options: options, psks: InMemoryPSKStore(),
                                    resumption: link, using: &generator)
    }

    /// The resumption PSK this group holds for `id`, if any: the current epoch's or a kept one.
    func resumptionPSK(groupID: [UInt8], epoch: UInt64) -> SecretBytes? {
        guard groupID == context.groupID else { return nil }
        return epoch == context.epoch ? epochSecrets.resumptionPSK : resumptionPSKs[epoch]
    }

    /// The checks a joiner makes on a Welcome that resumes `old` (§12.4.3.1): epoch 1; for
    /// `reinit`, the old group's last commit carried a ReInit whose parameters the new group
    /// has, the PSK names that commit's epoch, and every old member is a member of the new
    /// group; for `branch`, the same version and suite and new members drawn from the old
    /// group. Members are matched by credential (the application's notion of identity here:
    /// a basic credential's identity, or the same certificate chain).
    static func checkResumption(_ link: ResumptionLink, old: Group, newContext: GroupContext, newTree: RatchetTree) throws {
        func refuse(_ message: String, _ rfc: String) -> MLSError { .badInput(.invalidResumption, message, rfc: rfc) }
        guard newContext.epoch == 1 else { throw refuse("a resumed group's Welcome must be for epoch 1", "§12.4.3.1") }
        let oldMembers = Set(old.tree.occupiedLeaves.compactMap { old.tree.leaf($0)?.credential })
        let newMembers = Set(newTree.occupiedLeaves.compactMap { newTree.leaf($0)?.credential })
        switch link.usage {
        case .reinit:
            guard let reInit = old.reInit, link.epoch == old.context.epoch else {
                throw refuse("the Welcome's reinit PSK does not name an epoch started by a ReInit commit", "§11.2")
            }
            guard newContext.groupID == reInit.groupID, newContext.version == reInit.version,
                  newContext.cipherSuite == reInit.cipherSuite, newContext.extensions == reInit.extensions else {
                throw refuse("the reinitialized group's ID, version, suite or extensions differ from the ReInit", "§11.2")
            }
            guard oldMembers.isSubset(of: newMembers) else {
                throw refuse("a member of the old group is missing from the reinitialized group", "§11.2")
            }
        case .branch:
            guard newContext.version == old.context.version, newContext.cipherSuite == old.context.cipherSuite else {
                throw refuse("a subgroup must keep the version and cipher suite of the group it branches from", "§11.3")
            }
            guard newMembers.isSubset(of: oldMembers) else {
                throw refuse("a subgroup has a member who is not in the group it branches from", "§11.3")
            }
        default:
            throw MLSError(.invalidResumption, .internal, "a resumption link of usage application", rfc: "§8.6")
        }
    }
}
