import IsnadMLS
import Testing

/// Every decoder of outside bytes returns a value or an MLSError; none traps. Inputs are the
/// official messages mutated by a seeded generator: bit flips, truncations, insertions, splices.
struct DecoderRobustnessTests {
    static let decoders: [(String, @Sendable ([UInt8]) throws -> Void)] = [
        ("MLSMessage", { _ = try MLSMessage(decoding: $0) }),
        ("RatchetTreeNodes", { _ = try RatchetTreeNodes(decoding: $0) }),
        ("GroupSecrets", { _ = try GroupSecrets(decoding: $0) }),
        ("Commit", { _ = try Commit(decoding: $0) }),
        ("Proposal", { _ = try Proposal(decoding: $0) }),
        ("KeyPackage", { _ = try KeyPackage(decoding: $0) }),
        ("LeafNode", { _ = try LeafNode(decoding: $0) }),
        ("GroupInfo", { _ = try GroupInfo(decoding: $0) }),
        ("Welcome", { _ = try Welcome(decoding: $0) }),
        ("AuthenticatedContent", { _ = try AuthenticatedContent(decoding: $0) }),
        ("SenderData", { _ = try SenderData(decoding: $0) }),
    ]

    @Test("mutated official messages give only MLSErrors", arguments: 0..<decoders.count)
    func mutatedInputs(_ decoderIndex: Int) throws {
        let (name, decode) = Self.decoders[decoderIndex]
        let seeds = try Vectors.hexFields("messages.json", keys: ["mls_welcome", "mls_group_info", "mls_key_package", "ratchet_tree",
                                                               "group_secrets", "commit", "public_message_commit", "private_message"])
            .prefix(40).map(\.1)
        var generator = SeededGenerator(seed: UInt64(decoderIndex) &* 7919 &+ 1)
        var accepted = 0, rejected = 0
        for seed in seeds {
            for _ in 0..<60 {
                var bytes = seed
                switch generator.next() % 5 {
                case 0 where !bytes.isEmpty:
                    let i = Int(generator.next() % UInt64(bytes.count))
                    bytes[i] ^= UInt8(1 << (generator.next() % 8))
                case 1 where !bytes.isEmpty:
                    bytes = Array(bytes.prefix(Int(generator.next() % UInt64(bytes.count))))
                case 2:
                    let i = Int(generator.next() % UInt64(bytes.count + 1))
                    bytes.insert(UInt8(truncatingIfNeeded: generator.next()), at: i)
                case 3 where !bytes.isEmpty:
                    let i = Int(generator.next() % UInt64(bytes.count))
                    bytes[i] = [0x00, 0x3f, 0x40, 0x7f, 0x80, 0xbf, 0xc0, 0xff][Int(generator.next() % 8)]
                default:
                    bytes = randomBytes(Int(generator.next() % 64), using: &generator)
                }
                do {
                    try decode(bytes)
                    accepted += 1
                } catch is MLSError {
                    rejected += 1
                } catch {
                    Issue.record("\(name) threw a non-MLSError: \(type(of: error))")
                }
            }
        }
        // The mutations must actually exercise the error paths.
        #expect(rejected > 0, "\(name): no mutation was rejected")
        #expect(accepted + rejected == seeds.count * 60)
    }
}
