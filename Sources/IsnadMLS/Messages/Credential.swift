/// `Credential` (§5.3): a basic identity or an X.509 chain (DER certificates, end-entity first).
public enum Credential: MLSCodable, Hashable, Sendable {
    case basic(identity: [UInt8])
    case x509(certificates: [[UInt8]])

    /// The credential's type.
    public var type: CredentialType {
        switch self {
        case .basic: .basic
        case .x509: .x509
        }
    }

    public func encode(to encoder: inout TLSEncoder) {
        encoder.write(type)
        switch self {
        case .basic(let identity):
            encoder.writeOpaque(identity)
        case .x509(let certificates):
            encoder.writeVector { inner in
                for certificate in certificates { inner.writeOpaque(certificate) }
            }
        }
    }

    public init(from decoder: inout TLSDecoder) throws {
        let start = decoder.position
        let type = try decoder.read(CredentialType.self)
        switch type {
        case .basic:
            self = .basic(identity: try decoder.readOpaque("identity"))
        case .x509:
            self = .x509(certificates: try decoder.readVector("certificates") { inner in
                var certificates: [[UInt8]] = []
                while !inner.isAtEnd { certificates.append(try inner.readOpaque("cert_data")) }
                return certificates
            })
        default:
            throw MLSError.badInput(.invalidEnumValue, "credential at offset \(start) has type \(type.rawValue), which this client does not support", rfc: "§5.3")
        }
    }
}
