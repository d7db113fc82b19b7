import Foundation
import IsnadMLSConformance
import Testing

/// Runs the official vectors (mlswg/mls-implementations at cfd4502, see Vectors/SOURCE.md)
/// through the same runner as `isnad conformance`.
struct ConformanceVectorTests {
    /// Every file of the official set, each of which must pass completely, and the kind each must be told as.
    static let required: [(file: String, kind: String)] = [
        ("tree-math.json", "tree-math"), ("crypto-basics.json", "crypto-basics"), ("secret-tree.json", "secret-tree"),
        ("message-protection.json", "message-protection"), ("key-schedule.json", "key-schedule"),
        ("psk_secret.json", "psk_secret"), ("transcript-hashes.json", "transcript-hashes"),
        ("deserialization.json", "deserialization"), ("messages.json", "messages"), ("welcome.json", "welcome"),
        ("tree-validation.json", "tree-validation"), ("tree-operations.json", "tree-operations"), ("treekem.json", "treekem"),
        ("passive-client-welcome.json", "passive-client"), ("passive-client-handling-commit.json", "passive-client"),
    ]

    @Test("every case of a required vector file passes; skips are only suites 0x0004 and 0x0006",
          arguments: required.map(\.file))
    func requiredFilePasses(_ name: String) {
        let report = ConformanceRunner.run(file: Vectors.file(name))
        #expect(report.kind == Self.required.first { $0.file == name }?.kind)
        #expect(report.failed == 0, "\(report.notes)")
        #expect(report.passed > 0)
        for note in report.notes {
            #expect(note == "cipher suite 0x0004 is not supported" || note == "cipher suite 0x0006 is not supported", "unexpected skip: \(note)")
        }
    }

    @Test("the kind is told from the keys, not the file name")
    func kindFromContent() throws {
        let source = Vectors.file("psk_secret.json")
        let renamed = FileManager.default.temporaryDirectory.appendingPathComponent("renamed-\(UUID().uuidString).json")
        try FileManager.default.copyItem(atPath: source, toPath: renamed.path)
        defer { try? FileManager.default.removeItem(at: renamed) }
        let report = ConformanceRunner.run(file: renamed.path)
        #expect(report.kind == "psk_secret")
        #expect(report.failed == 0)
    }

    @Test("a corrupted vector is reported as a failure, not a pass")
    func corruptedVectorFails() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Vectors.file("psk_secret.json")))
        var array = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        let index = try #require(array.firstIndex { ($0["cipher_suite"] as? Int) == 1 && (($0["psks"] as? [Any])?.count ?? 0) > 0 })
        var psk = array[index]
        let secret = try #require(psk["psk_secret"] as? String)
        psk["psk_secret"] = String(secret.reversed())
        array = [psk]
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("corrupt-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: array).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let report = ConformanceRunner.run(file: url.path)
        #expect(report.failed == 1)
        #expect(report.passed == 0)
    }

    @Test("the whole folder: no failures, and the closing line counts every case")
    func wholeFolder() throws {
        let report = try ConformanceRunner.run(paths: [Vectors.folder])
        #expect(report.failed == 0)
        #expect(report.files.count == 15)
        #expect(report.files.allSatisfy { $0.passed > 0 })
        #expect(report.summaryLine == "\(report.passed) passed, 0 failed, \(report.skipped) skipped")
    }
}
