/// `KeyPackage` (§10): a pre-published invitation to add a client to a group.
public struct KeyPackage: MLSCodable, Hashable, Sendable {
    public var version: ProtocolVersion
    public var cipherSuite: CipherSuite
    public var initKey: HPKEPublicKey
    public var leafNode: LeafNode
    public var extensions: [Extension]
    public var signature: [UInt8]

    public init(version: ProtocolVersion = .mls10, cipherSuite: CipherSuite, initKey: HPKEPublicKey, leafNode: LeafNode,
                extensions: [Extension], signature: [UInt8]) {
        self.version = version
        self.cipherSuite = cipherSuite
        self.initKey = initKey
        self.leafNode = leafNode
        self.extensions = extensions
        self.signature = signature
    }

    /// The encoded `KeyPackageTBS`: every field but the signature.
    public var toBeSigned: [UInt8] {
        var encoder = TLSEncoder(capacity: 512)
        encoder.write(version)
        encoder.write(cipherSuite)
        encoder.write(initKey)
        encoder.write(leafNode)
        encoder.writeVector(extensions)
        return encoder.bytes
    }

    public func encode(to encoder: inout TLSEncoder) {
        encoder.writeRaw(toBeSigned)
        encoder.writeOpaque(signature)
    }

    public init(from decoder: inout TLSDecoder) throws {
        version = try decoder.read()
        cipherSuite = try decoder.read()
        initKey = try decoder.read()
        leafNode = try decoder.read()
        extensions = try decoder.readVector("extensions")
        signature = try decoder.readOpaque("signature")
    }
}
