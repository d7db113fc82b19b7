import IsnadMLS
import Testing

/// The secret tree's ratchets and their bounds (RFC 9420 §9).
struct SecretTreeTests {
    let provider = try! CipherSuiteProvider(.x25519AES128GCMSHA256Ed25519)
    let secret = SecretBytes([UInt8](repeating: 7, count: 32))

    func tree(_ configuration: SecretTree.Configuration = .default) -> SecretTree {
        SecretTree(provider, encryptionSecret: secret, leafCount: 8, configuration: configuration)
    }

    @Test("sender and receiver derive the same keys, generation by generation")
    func senderMatchesReceiver() throws {
        var sender = tree(), receiver = tree()
        for generation in 0..<20 as Range<UInt32> {
            let sent = try sender.nextKey(for: LeafIndex(3), .application)
            #expect(sent.generation == generation)
            #expect(try receiver.key(for: LeafIndex(3), .application, generation: generation) == sent)
        }
    }

    @Test("handshake and application ratchets and different leaves give different keys")
    func separation() throws {
        var t = tree()
        let a = try t.nextKey(for: LeafIndex(0), .application)
        let h = try t.nextKey(for: LeafIndex(0), .handshake)
        let other = try t.nextKey(for: LeafIndex(1), .application)
        #expect(a.key != h.key)
        #expect(a.key != other.key)
    }

    @Test("out-of-order generations within the window decrypt; a replay is refused")
    func outOfOrder() throws {
        var sender = tree(), receiver = tree()
        let keys = try (0..<10).map { _ in try sender.nextKey(for: LeafIndex(5), .application) }
        for index in [9, 3, 0, 7, 1] {
            #expect(try receiver.key(for: LeafIndex(5), .application, generation: UInt32(index)) == keys[index])
        }
        #expect(MLSError.has(.generationConsumed) { _ = try receiver.key(for: LeafIndex(5), .application, generation: 3) })
        #expect(MLSError.has(.generationConsumed) { _ = try receiver.key(for: LeafIndex(5), .application, generation: 9) })
    }

    @Test("a generation past the forward bound is a typed error and derives nothing")
    func forwardBound() throws {
        var receiver = tree(.init(maximumForwardDistance: 50, maximumRetainedKeys: 10))
        #expect(MLSError.has(.generationTooFarAhead) { _ = try receiver.key(for: LeafIndex(2), .application, generation: 51) })
        #expect(MLSError.has(.generationTooFarAhead) { _ = try receiver.key(for: LeafIndex(2), .application, generation: UInt32.max) })
        // The ratchet did not move: generation 0 is still available.
        var sender = tree()
        #expect(try receiver.key(for: LeafIndex(2), .application, generation: 0) == (try sender.nextKey(for: LeafIndex(2), .application)))
        // Exactly at the bound is allowed, and gives the sender's generation-50 key.
        var farSender = tree()
        var key50 = try farSender.nextKey(for: LeafIndex(2), .application)
        while key50.generation < 50 { key50 = try farSender.nextKey(for: LeafIndex(2), .application) }
        #expect(try receiver.key(for: LeafIndex(2), .application, generation: 50) == key50)
    }

    @Test("only the configured number of skipped keys is kept; the oldest are evicted")
    func retainedBound() throws {
        var receiver = tree(.init(maximumForwardDistance: 1000, maximumRetainedKeys: 4))
        _ = try receiver.key(for: LeafIndex(1), .application, generation: 10)
        for old in 0..<6 as Range<UInt32> {
            #expect(MLSError.has(.generationConsumed) { _ = try receiver.key(for: LeafIndex(1), .application, generation: old) })
        }
        for kept in 6..<10 as Range<UInt32> {
            _ = try receiver.key(for: LeafIndex(1), .application, generation: kept)
        }
    }

    @Test("a leaf outside the tree is a typed error")
    func leafOutOfRange() {
        var t = tree()
        #expect(MLSError.has(.leafOutOfRange) { _ = try t.key(for: LeafIndex(8), .application, generation: 0) })
    }

    @Test("keys never print their bytes")
    func redacted() throws {
        var t = tree()
        let key = try t.nextKey(for: LeafIndex(0), .application)
        #expect("\(key)".contains("redacted"))
        #expect(!"\(key.key)".contains("7"))
        #expect(SecretBytes([1, 2, 3]).description == "SecretBytes(3 bytes, redacted)")
    }
}
