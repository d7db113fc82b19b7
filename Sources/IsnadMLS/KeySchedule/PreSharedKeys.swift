/// A PSK to inject into the key schedule: its ID and its value.
public struct PreSharedKeyInput: Sendable {
    public let id: PreSharedKeyID
    public let psk: SecretBytes
    public init(id: PreSharedKeyID, psk: SecretBytes) {
        self.id = id
        self.psk = psk
    }
}

extension KeySchedule {
    /// The combined `psk_secret` of §8.4: each PSK is extracted, expanded with its
    /// `PSKLabel { id; uint16 index; uint16 count; }`, and chained through Extract.
    /// An empty list gives the all-zero vector.
    public static func pskSecret(_ provider: CipherSuiteProvider, _ psks: [PreSharedKeyInput]) -> SecretBytes {
        let zero = [UInt8](repeating: 0, count: provider.hashLength)
        var secret = zero
        for (index, input) in psks.enumerated() {
            let extracted = provider.extract(salt: zero, ikm: input.psk.bytes)
            var label = TLSEncoder()
            label.write(input.id)
            label.write(UInt16(truncatingIfNeeded: index))
            label.write(UInt16(truncatingIfNeeded: psks.count))
            let pskInput = provider.expandWithLabel(secret: extracted, label: "derived psk", context: label.bytes, length: provider.hashLength)
            secret = provider.extract(salt: pskInput, ikm: secret)
        }
        return SecretBytes(secret)
    }
}
