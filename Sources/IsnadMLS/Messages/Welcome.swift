/// `GroupSecrets` (§12.4.3.1): what a Welcome gives each new member, HPKE-encrypted to its init key.
public struct GroupSecrets: MLSCodable, Hashable, Sendable {
    public var joinerSecret: SecretBytes
    public var pathSecret: SecretBytes?
    public var psks: [PreSharedKeyID]

    public init(joinerSecret: SecretBytes, pathSecret: SecretBytes?, psks: [PreSharedKeyID]) {
        self.joinerSecret = joinerSecret
        self.pathSecret = pathSecret
        self.psks = psks
    }

    public func encode(to encoder: inout TLSEncoder) {
        encoder.writeOpaque(joinerSecret.bytes)
        // optional<PathSecret>, where PathSecret is struct { opaque path_secret<V>; }
        encoder.writeOptional(pathSecret) { secret, inner in inner.writeOpaque(secret.bytes) }
        encoder.writeVector(psks)
    }

    public init(from decoder: inout TLSDecoder) throws {
        joinerSecret = SecretBytes(try decoder.readOpaque("joiner_secret"))
        pathSecret = try decoder.readOptional("path_secret") { SecretBytes(try $0.readOpaque("path_secret")) }
        psks = try decoder.readVector("psks")
    }
}

/// `EncryptedGroupSecrets` (§12.4.3.1).
public struct EncryptedGroupSecrets: MLSCodable, Hashable, Sendable {
    /// The KeyPackageRef of the new member this entry is for.
    public var newMember: [UInt8]
    public var encryptedGroupSecrets: HPKECiphertext
    public init(newMember: [UInt8], encryptedGroupSecrets: HPKECiphertext) {
        self.newMember = newMember
        self.encryptedGroupSecrets = encryptedGroupSecrets
    }
    public func encode(to encoder: inout TLSEncoder) {
        encoder.writeOpaque(newMember)
        encoder.write(encryptedGroupSecrets)
    }
    public init(from decoder: inout TLSDecoder) throws {
        newMember = try decoder.readOpaque("new_member")
        encryptedGroupSecrets = try decoder.read()
    }
}

/// `Welcome` (§12.4.3.1): brings new members into the group.
public struct Welcome: MLSCodable, Hashable, Sendable {
    public var cipherSuite: CipherSuite
    public var secrets: [EncryptedGroupSecrets]
    public var encryptedGroupInfo: [UInt8]
    public init(cipherSuite: CipherSuite, secrets: [EncryptedGroupSecrets], encryptedGroupInfo: [UInt8]) {
        self.cipherSuite = cipherSuite
        self.secrets = secrets
        self.encryptedGroupInfo = encryptedGroupInfo
    }
    public func encode(to encoder: inout TLSEncoder) {
        encoder.write(cipherSuite)
        encoder.writeVector(secrets)
        encoder.writeOpaque(encryptedGroupInfo)
    }
    public init(from decoder: inout TLSDecoder) throws {
        cipherSuite = try decoder.read()
        secrets = try decoder.readVector("secrets")
        encryptedGroupInfo = try decoder.readOpaque("encrypted_group_info")
    }
}
