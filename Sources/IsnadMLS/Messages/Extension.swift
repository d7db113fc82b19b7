/// `struct { ExtensionType extension_type; opaque extension_data<V>; } Extension` (§7.2, §13.4).
public struct Extension: MLSCodable, Hashable, Sendable {
    public var type: ExtensionType
    public var data: [UInt8]
    public init(type: ExtensionType, data: [UInt8]) {
        self.type = type
        self.data = data
    }
    public func encode(to encoder: inout TLSEncoder) {
        encoder.write(type)
        encoder.writeOpaque(data)
    }
    public init(from decoder: inout TLSDecoder) throws {
        type = try decoder.read()
        data = try decoder.readOpaque("extension_data")
    }
}
