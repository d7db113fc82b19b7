import Foundation
import IsnadFuzzTargets
import Testing

/// Replays every saved fuzzing input (the seed corpus and any crash libFuzzer found, under
/// Fuzz/Corpus and Fuzz/Crashes) through the same harness bodies the fuzzers run.
struct FuzzCorpusReplayTests {
    static let fuzzFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz")

    static func inputs(_ target: String) -> [URL] {
        ["Corpus", "Crashes"].flatMap { kind -> [URL] in
            let folder = fuzzFolder.appendingPathComponent(kind).appendingPathComponent(target)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            return names.filter { !$0.hasPrefix(".") }.sorted().map { folder.appendingPathComponent($0) }
        }
    }

    @Test("every saved input of every harness runs without a trap", arguments: FuzzTargets.all.keys.sorted())
    func replay(_ target: String) throws {
        let files = Self.inputs(target)
        #expect(!files.isEmpty, "no saved inputs for \(target) under \(Self.fuzzFolder.path)")
        let body = try #require(FuzzTargets.all[target])
        for file in files {
            body(Array(try Data(contentsOf: file)))
        }
    }
}
