/// Draws `count` bytes from `generator`.
///
/// Every random choice Isnad's MLS makes (signature and HPKE key generation, reuse guards,
/// path secrets, PSK nonces) comes through a generator the caller passes in, so tests can seed
/// it; production code passes `SystemRandomNumberGenerator`, which reads the kernel's CSPRNG.
/// HPKE ephemeral keys and ECDSA nonces are drawn inside swift-crypto from the system
/// generator: its public API takes no generator.
public func randomBytes<R: RandomNumberGenerator>(_ count: Int, using generator: inout R) -> [UInt8] {
    var bytes = [UInt8]()
    bytes.reserveCapacity(count + 8)
    while bytes.count < count {
        var word = generator.next()
        for _ in 0..<8 where bytes.count < count {
            bytes.append(UInt8(truncatingIfNeeded: word))
            word >>= 8
        }
    }
    return bytes
}
