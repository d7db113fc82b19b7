/// `Sender` (§6): who sent a message.
public enum Sender: MLSCodable, Hashable, Sendable {
    case member(LeafIndex)
    case external(senderIndex: UInt32)
    case newMemberProposal
    case newMemberCommit

    /// The sender's type.
    public var type: SenderType {
        switch self {
        case .member: .member
        case .external: .external
        case .newMemberProposal: .newMemberProposal
        case .newMemberCommit: .newMemberCommit
        }
    }

    public func encode(to encoder: inout TLSEncoder) {
        encoder.write(type)
        switch self {
        case .member(let leaf): encoder.write(leaf.rawValue)
        case .external(let index): encoder.write(index)
        case .newMemberProposal, .newMemberCommit: break
        }
    }

    public init(from decoder: inout TLSDecoder) throws {
        switch try decoder.read(SenderType.self) {
        case .member: self = .member(LeafIndex(try decoder.readUInt32("leaf_index")))
        case .external: self = .external(senderIndex: try decoder.readUInt32("sender_index"))
        case .newMemberProposal: self = .newMemberProposal
        case .newMemberCommit: self = .newMemberCommit
        }
    }
}
