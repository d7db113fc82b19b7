/// `MLSMessage` (§6): the envelope of everything MLS sends.
public enum MLSMessage: MLSCodable, Hashable, Sendable {
    case publicMessage(PublicMessage)
    case privateMessage(PrivateMessage)
    case welcome(Welcome)
    case groupInfo(GroupInfo)
    case keyPackage(KeyPackage)

    /// The message's wire format.
    public var wireFormat: WireFormat {
        switch self {
        case .publicMessage: .publicMessage
        case .privateMessage: .privateMessage
        case .welcome: .welcome
        case .groupInfo: .groupInfo
        case .keyPackage: .keyPackage
        }
    }

    public func encode(to encoder: inout TLSEncoder) {
        encoder.write(ProtocolVersion.mls10)
        encoder.write(wireFormat)
        switch self {
        case .publicMessage(let message): encoder.write(message)
        case .privateMessage(let message): encoder.write(message)
        case .welcome(let welcome): encoder.write(welcome)
        case .groupInfo(let groupInfo): encoder.write(groupInfo)
        case .keyPackage(let keyPackage): encoder.write(keyPackage)
        }
    }

    public init(from decoder: inout TLSDecoder) throws {
        let version = try decoder.read(ProtocolVersion.self)
        guard version == .mls10 else {
            throw MLSError.badInput(.unsupportedVersion, "MLSMessage has protocol version \(version.rawValue); only mls10 (1) is supported", rfc: "§6")
        }
        let start = decoder.position
        let wireFormat = try decoder.read(WireFormat.self)
        switch wireFormat {
        case .publicMessage: self = .publicMessage(try decoder.read())
        case .privateMessage: self = .privateMessage(try decoder.read())
        case .welcome: self = .welcome(try decoder.read())
        case .groupInfo: self = .groupInfo(try decoder.read())
        case .keyPackage: self = .keyPackage(try decoder.read())
        default:
            throw MLSError.badInput(.invalidEnumValue, "MLSMessage at offset \(start) has unknown wire format \(wireFormat.rawValue)", rfc: "§6")
        }
    }
}
