import ArgumentParser
import Foundation
import IsnadMLSConformance

/// `isnad conformance PATH...`: runs the official MLS test vectors against Isnad's MLS.
struct Conformance: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the official MLS (RFC 9420) test vectors against Isnad's implementation.",
        discussion: """
        Each PATH is a test-vector JSON file or a folder of them (the formats of \
        mlswg/mls-implementations). A file's kind is told from its keys, not its name. One line \
        is printed per file, then a summary line "N passed, M failed, K skipped". Skips are \
        only cipher suites Isnad does not support (0x0004, 0x0006: X448/Ed448) or parts not built \
        yet, each named. The exit status is 1 when any case failed.
        """
    )

    @Argument(help: "Test-vector files or folders.")
    var paths: [String]

    @Flag(help: "Print the report as JSON.")
    var json = false

    func run() throws {
        let report: ConformanceReport
        do {
            report = try ConformanceRunner.run(paths: paths) { file in
                if !json { print(ConformanceRunner.line(for: file)) }
            }
        } catch {
            throw CommandFailure("\(error)")
        }
        if json {
            let files: [[String: Any]] = report.files.map {
                ["path": $0.path, "kind": $0.kind ?? NSNull(), "passed": $0.passed, "failed": $0.failed, "skipped": $0.skipped, "notes": $0.notes]
            }
            let object: [String: Any] = ["files": files, "passed": report.passed, "failed": report.failed, "skipped": report.skipped]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(report.summaryLine)
        }
        if report.failed > 0 { throw ExitCode(1) }
    }
}

/// A command's failure as one sentence, printed as `Error: …` with a non-zero status and no usage text.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description.hasSuffix(".") ? description : description + "." }
}
