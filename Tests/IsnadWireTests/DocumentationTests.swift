import Foundation
import IsnadWire
import Testing

/// docs/reports.md and the code agree: its JSON examples parse, and its byte listing is exact.
struct DocumentationTests {
    static func document() throws -> String {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/reports.md")
        return try String(contentsOf: url, encoding: .utf8)
    }

    @Test("the JSON examples in docs/reports.md are the tested ones and parse")
    func examples() throws {
        let blocks = try Self.document().components(separatedBy: "```json\n").dropFirst()
            .compactMap { $0.components(separatedBy: "\n```").first }
            .filter { $0.contains("\"schema_version\"") }  // reports, not the command outputs shown later
        #expect(blocks.count == 2)
        let expected = [ReportExamples.full, ReportExamples.minimal]
        for (block, example) in zip(blocks, expected) {
            #expect(block == example)
            _ = try Report(json: Array(block.utf8))
        }
    }

    @Test("the minimal report's canonical bytes are the 29 bytes listed in docs/reports.md")
    func minimalBytes() throws {
        let report = try Report(json: Array(ReportExamples.minimal.utf8))
        let expected: [UInt8] = [0, 1, 5, 5, 0, 0, 0, 0, 0, 1] + Array(repeating: 0, count: 10) + [0, 0, 0, 0, 0, 0, 7, 0, 0]
        #expect(expected.count == 29)
        #expect(report.canonicalBytes == expected)
        #expect(try Report(canonicalBytes: expected).canonicalBytes == expected)
    }
}
