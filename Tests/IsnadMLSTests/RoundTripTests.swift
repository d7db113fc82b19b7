import IsnadMLS
import Testing

/// For every wire type: encode → decode gives the same value, and decode → encode gives the same bytes.
struct RoundTripTests {
    static func check<T: MLSCodable & Equatable>(_ make: (inout Arbitrary) -> T, seed: UInt64, count: Int = 200) throws {
        var arbitrary = Arbitrary(seed: seed)
        for _ in 0..<count {
            let value = make(&arbitrary)
            let bytes = value.encoded
            let decoded = try T(decoding: bytes)
            #expect(decoded == value)
            #expect(decoded.encoded == bytes)
        }
    }

    @Test func mlsMessage() throws { try Self.check({ $0.mlsMessage() }, seed: 1) }
    @Test func keyPackage() throws { try Self.check({ $0.keyPackage() }, seed: 2) }
    @Test func leafNode() throws { try Self.check({ $0.leafNode() }, seed: 3) }
    @Test func proposal() throws { try Self.check({ $0.proposal() }, seed: 4) }
    @Test func commit() throws { try Self.check({ $0.commit() }, seed: 5) }
    @Test func groupContext() throws { try Self.check({ $0.groupContext() }, seed: 6) }
    @Test func groupInfo() throws { try Self.check({ $0.groupInfo() }, seed: 7) }
    @Test func welcome() throws { try Self.check({ $0.welcome() }, seed: 8) }
    @Test func ratchetTree() throws { try Self.check({ $0.ratchetTree() }, seed: 9) }
    @Test func groupSecrets() throws { try Self.check({ $0.groupSecrets() }, seed: 10) }
    @Test func preSharedKeyID() throws { try Self.check({ $0.pskID() }, seed: 11) }
    @Test func framedContent() throws { try Self.check({ $0.framedContent() }, seed: 12) }
    @Test func updatePath() throws { try Self.check({ $0.updatePath() }, seed: 13) }
    @Test func credential() throws { try Self.check({ $0.credential() }, seed: 14) }
    @Test func senderData() throws {
        try Self.check({ SenderData(leafIndex: LeafIndex($0.u32()), generation: $0.u32(), reuseGuard: randomBytes(4, using: &$0.generator)) }, seed: 15)
    }
    @Test func authenticatedContent() throws {
        try Self.check({ a in
            let content = a.framedContent()
            return AuthenticatedContent(wireFormat: a.bool() ? .publicMessage : .privateMessage, content: content,
                                        auth: FramedContentAuthData(signature: a.bytes(), confirmationTag: content.content.type == .commit ? a.bytes() : nil))
        }, seed: 16)
    }
}
