/// `Proposal` (§12.1): a change to the group, applied when a Commit covers it.
public enum Proposal: MLSCodable, Hashable, Sendable {
    /// `Add { KeyPackage key_package; }` (§12.1.1)
    case add(KeyPackage)
    /// `Update { LeafNode leaf_node; }` (§12.1.2)
    case update(LeafNode)
    /// `Remove { uint32 removed; }` (§12.1.3)
    case remove(LeafIndex)
    /// `PreSharedKey { PreSharedKeyID psk; }` (§12.1.4)
    case preSharedKey(PreSharedKeyID)
    /// `ReInit` (§12.1.5)
    case reInit(groupID: [UInt8], version: ProtocolVersion, cipherSuite: CipherSuite, extensions: [Extension])
    /// `ExternalInit { opaque kem_output<V>; }` (§12.1.6)
    case externalInit(kemOutput: [UInt8])
    /// `GroupContextExtensions { Extension extensions<V>; }` (§12.1.7)
    case groupContextExtensions([Extension])

    /// The proposal's type.
    public var type: ProposalType {
        switch self {
        case .add: .add
        case .update: .update
        case .remove: .remove
        case .preSharedKey: .psk
        case .reInit: .reinit
        case .externalInit: .externalInit
        case .groupContextExtensions: .groupContextExtensions
        }
    }

    public func encode(to encoder: inout TLSEncoder) {
        encoder.write(type)
        encodeBody(to: &encoder)
    }

    /// Writes the proposal's body (the `Add`, `Update`, … struct) without its type.
    public func encodeBody(to encoder: inout TLSEncoder) {
        switch self {
        case .add(let keyPackage): encoder.write(keyPackage)
        case .update(let leafNode): encoder.write(leafNode)
        case .remove(let removed): encoder.write(removed.rawValue)
        case .preSharedKey(let psk): encoder.write(psk)
        case .reInit(let groupID, let version, let cipherSuite, let extensions):
            encoder.writeOpaque(groupID)
            encoder.write(version)
            encoder.write(cipherSuite)
            encoder.writeVector(extensions)
        case .externalInit(let kemOutput): encoder.writeOpaque(kemOutput)
        case .groupContextExtensions(let extensions): encoder.writeVector(extensions)
        }
    }

    public init(from decoder: inout TLSDecoder) throws {
        let start = decoder.position
        self = try Self.decodeBody(try decoder.read(ProposalType.self), from: &decoder, offset: start)
    }

    /// Reads the body of a proposal of type `type` (the `Add`, `Update`, … struct).
    public static func decodeBody(_ type: ProposalType, from decoder: inout TLSDecoder, offset start: Int = 0) throws -> Proposal {
        switch type {
        case .add: return .add(try decoder.read())
        case .update: return .update(try decoder.read())
        case .remove: return .remove(LeafIndex(try decoder.readUInt32("removed")))
        case .psk: return .preSharedKey(try decoder.read())
        case .reinit:
            let groupID = try decoder.readOpaque("group_id")
            let version = try decoder.read(ProtocolVersion.self)
            let suite = try decoder.read(CipherSuite.self)
            return .reInit(groupID: groupID, version: version, cipherSuite: suite, extensions: try decoder.readVector("extensions"))
        case .externalInit: return .externalInit(kemOutput: try decoder.readOpaque("kem_output"))
        case .groupContextExtensions: return .groupContextExtensions(try decoder.readVector("extensions"))
        default:
            throw MLSError.badInput(.invalidEnumValue, "proposal at offset \(start) has type \(type.rawValue), which this client does not support", rfc: "§12.1")
        }
    }
}

/// `ProposalOrRef` (§12.4): a proposal carried by value or referenced by its ProposalRef.
public enum ProposalOrRef: MLSCodable, Hashable, Sendable {
    case proposal(Proposal)
    case reference([UInt8])

    public func encode(to encoder: inout TLSEncoder) {
        switch self {
        case .proposal(let proposal):
            encoder.write(ProposalOrRefType.proposal)
            encoder.write(proposal)
        case .reference(let reference):
            encoder.write(ProposalOrRefType.reference)
            encoder.writeOpaque(reference)
        }
    }

    public init(from decoder: inout TLSDecoder) throws {
        switch try decoder.read(ProposalOrRefType.self) {
        case .proposal: self = .proposal(try decoder.read())
        case .reference: self = .reference(try decoder.readOpaque("reference"))
        }
    }
}
