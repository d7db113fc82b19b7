/// `Capabilities` (§7.2): what a client supports. Unknown values are kept and ignored.
public struct Capabilities: MLSCodable, Hashable, Sendable {
    public var versions: [ProtocolVersion]
    public var cipherSuites: [CipherSuite]
    public var extensions: [ExtensionType]
    public var proposals: [ProposalType]
    public var credentials: [CredentialType]

    public init(versions: [ProtocolVersion] = [.mls10], cipherSuites: [CipherSuite], extensions: [ExtensionType] = [],
                proposals: [ProposalType] = [], credentials: [CredentialType] = [.basic]) {
        self.versions = versions
        self.cipherSuites = cipherSuites
        self.extensions = extensions
        self.proposals = proposals
        self.credentials = credentials
    }

    public func encode(to encoder: inout TLSEncoder) {
        encoder.writeVector(versions)
        encoder.writeVector(cipherSuites)
        encoder.writeVector(extensions)
        encoder.writeVector(proposals)
        encoder.writeVector(credentials)
    }

    public init(from decoder: inout TLSDecoder) throws {
        versions = try decoder.readVector("versions")
        cipherSuites = try decoder.readVector("cipher_suites")
        extensions = try decoder.readVector("extensions")
        proposals = try decoder.readVector("proposals")
        credentials = try decoder.readVector("credentials")
    }
}

/// `struct { uint64 not_before; uint64 not_after; } Lifetime` (§7.2), in seconds since the Unix epoch.
public struct Lifetime: MLSCodable, Hashable, Sendable {
    public var notBefore: UInt64
    public var notAfter: UInt64
    public init(notBefore: UInt64, notAfter: UInt64) {
        self.notBefore = notBefore
        self.notAfter = notAfter
    }
    public func encode(to encoder: inout TLSEncoder) {
        encoder.write(notBefore)
        encoder.write(notAfter)
    }
    public init(from decoder: inout TLSDecoder) throws {
        notBefore = try decoder.readUInt64("not_before")
        notAfter = try decoder.readUInt64("not_after")
    }
}

/// `LeafNode` (§7.2): one member's keys, credential and capabilities, signed by the member.
public struct LeafNode: MLSCodable, Hashable, Sendable {
    /// The `select (leaf_node_source)` part of a LeafNode.
    public enum Source: Hashable, Sendable {
        case keyPackage(Lifetime)
        case update
        case commit(parentHash: [UInt8])

        public var kind: LeafNodeSource {
            switch self {
            case .keyPackage: .keyPackage
            case .update: .update
            case .commit: .commit
            }
        }
    }

    public var encryptionKey: HPKEPublicKey
    public var signatureKey: SignaturePublicKey
    public var credential: Credential
    public var capabilities: Capabilities
    public var source: Source
    public var extensions: [Extension]
    public var signature: [UInt8]

    public init(encryptionKey: HPKEPublicKey, signatureKey: SignaturePublicKey, credential: Credential,
                capabilities: Capabilities, source: Source, extensions: [Extension], signature: [UInt8]) {
        self.encryptionKey = encryptionKey
        self.signatureKey = signatureKey
        self.credential = credential
        self.capabilities = capabilities
        self.source = source
        self.extensions = extensions
        self.signature = signature
    }

    private func encodeContent(to encoder: inout TLSEncoder) {
        encoder.write(encryptionKey)
        encoder.write(signatureKey)
        encoder.write(credential)
        encoder.write(capabilities)
        encoder.write(source.kind)
        switch source {
        case .keyPackage(let lifetime): encoder.write(lifetime)
        case .update: break
        case .commit(let parentHash): encoder.writeOpaque(parentHash)
        }
        encoder.writeVector(extensions)
    }

    public func encode(to encoder: inout TLSEncoder) {
        encodeContent(to: &encoder)
        encoder.writeOpaque(signature)
    }

    public init(from decoder: inout TLSDecoder) throws {
        encryptionKey = try decoder.read()
        signatureKey = try decoder.read()
        credential = try decoder.read()
        capabilities = try decoder.read()
        switch try decoder.read(LeafNodeSource.self) {
        case .keyPackage: source = .keyPackage(try decoder.read())
        case .update: source = .update
        case .commit: source = .commit(parentHash: try decoder.readOpaque("parent_hash"))
        }
        extensions = try decoder.readVector("extensions")
        signature = try decoder.readOpaque("signature")
    }

    /// The encoded `LeafNodeTBS` (§7.2): the fields above the signature, plus the group ID and
    /// leaf index for leaves created inside a group (`update` and `commit` sources).
    public func toBeSigned(groupID: [UInt8], leafIndex: LeafIndex) -> [UInt8] {
        var encoder = TLSEncoder(capacity: 256)
        encodeContent(to: &encoder)
        switch source {
        case .keyPackage: break
        case .update, .commit:
            encoder.writeOpaque(groupID)
            encoder.write(leafIndex.rawValue)
        }
        return encoder.bytes
    }
}
