import Foundation
import IsnadFuzzTargets
import IsnadMLS

/// A real MLS group (RFC 9420), held by one member, whose commits the tests post to the relay.
///
/// Seeded, so every run builds the same bytes; no clock (`now` is fixed).
struct TestGroup {
    static let now: UInt64 = 1_790_000_000
    static let suite = CipherSuite.x25519AES128GCMSHA256Ed25519

    /// The member's current state.
    private(set) var state: Group
    private var generator: SeededGenerator

    /// Creates a one-member group at epoch 0.
    init(id: [UInt8] = Array("a group id".utf8), member: String = "alice", seed: UInt64 = 1) throws {
        var generator = SeededGenerator(seed: seed)
        let bundle = try Self.bundle(member, using: &generator)
        state = try Group(creating: id, creator: bundle, using: &generator)
        self.generator = generator
    }

    /// Joins the group from a Welcome the relay delivered (as `MLSMessage` bytes).
    init(welcome bytes: [UInt8], keyPackage: KeyPackageBundle, seed: UInt64 = 2) throws {
        guard case .welcome(let welcome) = try MLSMessage(decoding: bytes) else {
            throw NotAWelcome()
        }
        state = try Group(welcome: welcome, keyPackage: keyPackage)
        generator = SeededGenerator(seed: seed)
    }

    var groupID: [UInt8] { state.groupID }
    /// The group ID as the relay's path segment.
    var pathID: String { b64(state.groupID) }
    var epoch: UInt64 { state.epoch }

    /// A KeyPackage for a new member, with its private keys.
    static func bundle(_ name: String, using generator: inout SeededGenerator) throws -> KeyPackageBundle {
        try KeyPackageBundle.make(try CipherSuiteProvider(suite), credential: .basic(identity: Array(name.utf8)), now: now, using: &generator)
    }

    mutating func bundle(_ name: String) throws -> KeyPackageBundle {
        try Self.bundle(name, using: &generator)
    }

    /// A commit for the current epoch, adding `keyPackages`; the group stays where it is
    /// until ``advance(to:)`` or ``commit(adding:as:)``.
    mutating func pendingCommit(adding keyPackages: [KeyPackage] = [], as wireFormat: WireFormat = .privateMessage) throws -> PendingCommit {
        var options = CommitOptions()
        options.wireFormat = wireFormat
        return try state.commit(keyPackages.map { .add($0) }, options: options, using: &generator)
    }

    /// Makes the commit for the current epoch and moves to the next: returns the commit and,
    /// when members were added, the Welcome, each as `MLSMessage` bytes.
    mutating func commit(adding keyPackages: [KeyPackage] = [], as wireFormat: WireFormat = .privateMessage) throws -> (commit: [UInt8], welcome: [UInt8]?) {
        let pending = try pendingCommit(adding: keyPackages, as: wireFormat)
        state = pending.group
        return (pending.message.encoded, pending.welcome.map { MLSMessage.welcome($0).encoded })
    }

    /// Processes a commit another member posted (bytes as the relay delivered them).
    mutating func process(_ bytes: [UInt8]) throws {
        _ = try state.process(try MLSMessage(decoding: bytes))
    }

    /// Decrypts an application message (bytes as the relay delivered them); `nil` if it is none.
    mutating func decrypt(_ bytes: [UInt8]) throws -> String? {
        guard case .application(let data, _, _, _) = try state.process(try MLSMessage(decoding: bytes)) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// An application message for the current epoch, as `MLSMessage` bytes.
    mutating func encrypt(_ text: String) throws -> [UInt8] {
        try state.encrypt(Array(text.utf8), using: &generator).encoded
    }

    /// A proposal for the current epoch, as `MLSMessage` bytes.
    mutating func proposeUpdate() throws -> [UInt8] {
        try state.proposeUpdate(using: &generator).encoded
    }
}

/// The bytes given as a Welcome were another MLSMessage.
struct NotAWelcome: Error {}
