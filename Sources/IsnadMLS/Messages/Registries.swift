/// An open `uint16` registry of RFC 9420 (IANA §17): unknown values, GREASE included, are
/// carried unchanged.
public protocol OpenUInt16Registry: RawRepresentable, MLSCodable, Hashable, Sendable where RawValue == UInt16 {
    /// The field name used in decoding errors.
    static var fieldName: String { get }
    init(rawValue: UInt16)
}

extension OpenUInt16Registry {
    public func encode(to encoder: inout TLSEncoder) { encoder.write(rawValue) }
    public init(from decoder: inout TLSDecoder) throws { self.init(rawValue: try decoder.readUInt16(Self.fieldName)) }
}

/// `ProtocolVersion` (§6): `mls10(1)`. Kept open so unknown versions in capabilities survive a round trip.
public struct ProtocolVersion: OpenUInt16Registry {
    public static let fieldName = "version"
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    /// MLS 1.0.
    public static let mls10 = ProtocolVersion(rawValue: 1)
}

/// `WireFormat` (§6, IANA §17.2).
public struct WireFormat: OpenUInt16Registry {
    public static let fieldName = "wire_format"
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public static let publicMessage = WireFormat(rawValue: 1)
    public static let privateMessage = WireFormat(rawValue: 2)
    public static let welcome = WireFormat(rawValue: 3)
    public static let groupInfo = WireFormat(rawValue: 4)
    public static let keyPackage = WireFormat(rawValue: 5)
}

/// `ExtensionType` (§13.4, IANA §17.3). Open: unknown and GREASE values are carried.
public struct ExtensionType: OpenUInt16Registry {
    public static let fieldName = "extension_type"
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public static let applicationID = ExtensionType(rawValue: 1)
    public static let ratchetTree = ExtensionType(rawValue: 2)
    public static let requiredCapabilities = ExtensionType(rawValue: 3)
    public static let externalPub = ExtensionType(rawValue: 4)
    public static let externalSenders = ExtensionType(rawValue: 5)
}

/// `ProposalType` (§12.1, IANA §17.4). Open: unknown and GREASE values are carried in capabilities.
public struct ProposalType: OpenUInt16Registry {
    public static let fieldName = "proposal_type"
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public static let add = ProposalType(rawValue: 1)
    public static let update = ProposalType(rawValue: 2)
    public static let remove = ProposalType(rawValue: 3)
    public static let psk = ProposalType(rawValue: 4)
    public static let reinit = ProposalType(rawValue: 5)
    public static let externalInit = ProposalType(rawValue: 6)
    public static let groupContextExtensions = ProposalType(rawValue: 7)
}

/// `CredentialType` (§5.3, IANA §17.5). Open: unknown and GREASE values are carried in capabilities.
public struct CredentialType: OpenUInt16Registry {
    public static let fieldName = "credential_type"
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public static let basic = CredentialType(rawValue: 1)
    public static let x509 = CredentialType(rawValue: 2)
}

/// A closed `enum { …, (255) }` of RFC 9420: an unknown value is malformed.
protocol ClosedUInt8Enum: RawRepresentable, MLSCodable where RawValue == UInt8 {
    static var fieldName: String { get }
}

extension ClosedUInt8Enum {
    public func encode(to encoder: inout TLSEncoder) { encoder.write(rawValue) }
    public init(from decoder: inout TLSDecoder) throws {
        let start = decoder.position
        let raw = try decoder.readUInt8(Self.fieldName)
        guard let value = Self(rawValue: raw) else {
            throw MLSError.badInput(.invalidEnumValue, "\(Self.fieldName) at offset \(start) has the unknown value \(raw)")
        }
        self = value
    }
}

/// `ContentType` (§6).
public enum ContentType: UInt8, Sendable, Hashable, ClosedUInt8Enum {
    case application = 1, proposal = 2, commit = 3
    static let fieldName = "content_type"
}

/// `SenderType` (§6).
public enum SenderType: UInt8, Sendable, Hashable, ClosedUInt8Enum {
    case member = 1, external = 2, newMemberProposal = 3, newMemberCommit = 4
    static let fieldName = "sender_type"
}

/// `LeafNodeSource` (§7.2).
public enum LeafNodeSource: UInt8, Sendable, Hashable, ClosedUInt8Enum {
    case keyPackage = 1, update = 2, commit = 3
    static let fieldName = "leaf_node_source"
}

/// `NodeType` (§12.4.3.3).
public enum NodeType: UInt8, Sendable, Hashable, ClosedUInt8Enum {
    case leaf = 1, parent = 2
    static let fieldName = "node_type"
}

/// `PSKType` (§8.4).
public enum PSKType: UInt8, Sendable, Hashable, ClosedUInt8Enum {
    case external = 1, resumption = 2
    static let fieldName = "psktype"
}

/// `ResumptionPSKUsage` (§8.4).
public enum ResumptionPSKUsage: UInt8, Sendable, Hashable, ClosedUInt8Enum {
    case application = 1, reinit = 2, branch = 3
    static let fieldName = "usage"
}

/// `ProposalOrRefType` (§12.4).
public enum ProposalOrRefType: UInt8, Sendable, Hashable, ClosedUInt8Enum {
    case proposal = 1, reference = 2
    static let fieldName = "proposal_or_ref_type"
}
