import Foundation
import Hummingbird
import HummingbirdTesting
import IsnadWire
import Testing

@testable import IsnadObservatory

/// Debian's `chromium` (scripts/test.sh installs it), or `$CHROMIUM`; `nil` when absent.
enum Chromium {
    static let path: String? = {
        let candidates = [ProcessInfo.processInfo.environment["CHROMIUM"], "/usr/bin/chromium", "/usr/bin/chromium-browser"].compactMap { $0 }
        let found = candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
        if found == nil { print("DashboardChromiumTests skipped: no chromium binary (apt-get install chromium, or set CHROMIUM)") }
        return found
    }()

    /// `chromium --headless --dump-dom URL`: the DOM as Chromium parsed and laid it out.
    static func dumpDOM(_ url: String) async throws -> String {
        try await run(url, ["--dump-dom"])
    }

    /// A PNG of the page, for a person to look at (`ISNAD_DASHBOARD_SCREENSHOTS=folder`).
    static func screenshot(_ url: String, to file: String) async throws {
        _ = try await run(url, ["--screenshot=\(file)", "--window-size=1100,1800", "--hide-scrollbars"])
    }

    static func run(_ url: String, _ mode: [String]) async throws -> String {
        guard let path else { throw ServeError("chromium is missing") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("dom.html")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--user-data-dir=\(folder.appendingPathComponent("profile").path)",
        ] + mode + [url]
        process.standardOutput = handle
        process.standardError = FileHandle.nullDevice
        // Wait without blocking a thread the server needs; a hung browser is stopped after 90 s.
        let watchdog = Task {
            try await Task.sleep(for: .seconds(90))
            if process.isRunning { process.terminate() }
        }
        defer { watchdog.cancel() }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        try handle.close()
        guard process.terminationStatus == 0 else { throw ServeError("chromium exited with \(process.terminationStatus)") }
        return try String(contentsOf: output, encoding: .utf8)
    }
}

@Suite("Dashboard in headless Chromium", .enabled(if: Chromium.path != nil, "no chromium binary: apt-get install chromium, or set CHROMIUM"),
       .timeLimit(.minutes(3)))
struct DashboardChromiumTests {
    /// The text of every match of `pattern`'s first group.
    static func captures(_ pattern: String, in text: String) throws -> [String] {
        let regex = try NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators])
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            Range(match.range(at: 1), in: text).map { String(text[$0]) }
        }
    }

    @Test("Chromium renders the dashboard in English and Arabic with the snapshot's figures; Arabic is right to left")
    func bothLanguages() async throws {
        let (first, second) = try DashboardFixtures.snapshots()
        let router = Router()
        try DashboardFixtures.observatory([first, second]).register(on: router)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let expectedRows = second.snapshot.figures.map { String($0.atLeast) }
            let expectedTotals = DashboardFixtures.totals(second.snapshot.figures)
            for (language, direction) in [("en", "ltr"), ("ar", "rtl")] {
                let dom = try await Chromium.dumpDOM("http://127.0.0.1:\(port)/observatory/dashboard?lang=\(language)")
                #expect(try Self.captures(#"<html ([^>]*)>"#, in: dom).first.map { $0.contains("lang=\"\(language)\"") && $0.contains("dir=\"\(direction)\"") } == true,
                        "\(language): <html lang dir>")
                // The numbers as Chromium shows them, row by row, against the snapshot's figures.
                let shown = try Self.captures(#"<td class="n at-least"><a [^>]*>([^<]*)</a></td>"#, in: dom)
                #expect(shown == expectedRows, "\(language): figures shown")
                for (outcome, total) in expectedTotals {
                    let value = try Self.captures(#"<div data-outcome="\#(outcome.rawValue)"><dt>[^<]*</dt><dd class="n">([^<]*)</dd>"#, in: dom)
                    #expect(value == [String(total)], "\(language): total \(outcome)")
                }
                #expect(try Self.captures(#"(<svg )"#, in: dom).count == 3, "\(language): three charts")
                #expect(try Self.captures(#"<code class="hash" dir="ltr">([0-9a-f]{64})</code>"#, in: dom).first == second.snapshot.hashHex)
                #expect(!dom.contains("<&>"), "report text stays text")
                if let folder = ProcessInfo.processInfo.environment["ISNAD_DASHBOARD_SCREENSHOTS"] {
                    try await Chromium.screenshot("http://127.0.0.1:\(port)/observatory/dashboard?lang=\(language)", to: "\(folder)/dashboard-\(language).png")
                }
            }
            let page = try await Chromium.dumpDOM("http://127.0.0.1:\(port)/observatory/snapshots/2?lang=ar")
            #expect(page.contains("dir=\"rtl\""))
            let commitments = Set(try Self.captures(#"<code>([0-9a-f]{64})</code>"#, in: page))
            #expect(Set(second.snapshot.figures.flatMap(\.reports).map(CommitmentText.hex)).isSubset(of: commitments))
        }
    }
}
