import Foundation
import IsnadFuzzTargets
import Testing

/// A short in-process smoke run of the reporting fuzz harnesses: seeded mutations of the saved
/// corpus (bit flips, truncations, insertions), each must return without a trap.
@Suite("Reporting decoders under mutation")
struct DecoderMutationTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/Corpus")

    @Test(arguments: ["report", "sealed-report", "evidence", "receipt", "checkpoint"])
    func mutations(_ harness: String) throws {
        let body = try #require(FuzzTargets.all[harness])
        let folder = Self.corpus.appendingPathComponent(harness)
        let seeds = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }
            .map { Array(try Data(contentsOf: folder.appendingPathComponent($0))) }
        #expect(!seeds.isEmpty)
        var generator = SeededGenerator(seed: 0xC0FFEE)
        for round in 0..<400 {
            var bytes = seeds[round % seeds.count]
            for _ in 0..<(1 + Int(generator.next() % 4)) where !bytes.isEmpty {
                let position = Int(generator.next() % UInt64(bytes.count))
                switch generator.next() % 3 {
                case 0: bytes[position] ^= UInt8(truncatingIfNeeded: 1 << (generator.next() % 8))
                case 1: bytes = Array(bytes.prefix(position))
                default: bytes.insert(UInt8(truncatingIfNeeded: generator.next()), at: position)
                }
            }
            body(bytes)
        }
    }
}
