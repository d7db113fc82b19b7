/// `PreSharedKeyID` (§8.4): names an external or a resumption PSK, with a fresh nonce.
public struct PreSharedKeyID: MLSCodable, Hashable, Sendable {
    /// The `select (psktype)` part.
    public enum Kind: Hashable, Sendable {
        case external(pskID: [UInt8])
        case resumption(usage: ResumptionPSKUsage, groupID: [UInt8], epoch: UInt64)
    }

    public var kind: Kind
    public var nonce: [UInt8]

    public init(kind: Kind, nonce: [UInt8]) {
        self.kind = kind
        self.nonce = nonce
    }

    public func encode(to encoder: inout TLSEncoder) {
        switch kind {
        case .external(let pskID):
            encoder.write(PSKType.external)
            encoder.writeOpaque(pskID)
        case .resumption(let usage, let groupID, let epoch):
            encoder.write(PSKType.resumption)
            encoder.write(usage)
            encoder.writeOpaque(groupID)
            encoder.write(epoch)
        }
        encoder.writeOpaque(nonce)
    }

    public init(from decoder: inout TLSDecoder) throws {
        switch try decoder.read(PSKType.self) {
        case .external:
            kind = .external(pskID: try decoder.readOpaque("psk_id"))
        case .resumption:
            let usage = try decoder.read(ResumptionPSKUsage.self)
            let groupID = try decoder.readOpaque("psk_group_id")
            kind = .resumption(usage: usage, groupID: groupID, epoch: try decoder.readUInt64("psk_epoch"))
        }
        nonce = try decoder.readOpaque("psk_nonce")
    }
}
