import Foundation
import IsnadMLS

/// The outcome of one test-vector file.
public struct FileReport: Sendable {
    /// The file's path as given.
    public let path: String
    /// The kind told from the file's keys, or `nil` if none matched.
    public let kind: String?
    public let passed: Int
    public let failed: Int
    public let skipped: Int
    /// Distinct reasons for skips, and the first few failures (never secret values).
    public let notes: [String]
}

/// The outcome of a whole run.
public struct ConformanceReport: Sendable {
    public let files: [FileReport]
    public var passed: Int { files.reduce(0) { $0 + $1.passed } }
    public var failed: Int { files.reduce(0) { $0 + $1.failed } }
    public var skipped: Int { files.reduce(0) { $0 + $1.skipped } }

    /// The closing line: `N passed, M failed, K skipped`.
    public var summaryLine: String { "\(passed) passed, \(failed) failed, \(skipped) skipped" }
}

/// Runs the official MLS test vectors (mlswg/mls-implementations `test-vectors.md` formats) against IsnadMLS.
public enum ConformanceRunner {
    /// Expands files and folders into the JSON files to run, sorted within each folder.
    public static func collectFiles(_ paths: [String]) throws -> [String] {
        var files: [String] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw VectorFormatError("\(path) does not exist")
            }
            if isDirectory.boolValue {
                let names = try manager.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".json") }.sorted()
                files += names.map { (path as NSString).appendingPathComponent($0) }
            } else {
                files.append(path)
            }
        }
        return files
    }

    /// Runs every case of one file.
    public static func run(file path: String) -> FileReport {
        let cases: [VectorCase]
        do {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw VectorFormatError("the file cannot be read")
            }
            guard let json = try? JSONSerialization.jsonObject(with: data) else {
                throw VectorFormatError("the file is not valid JSON")
            }
            guard let array = json as? [Any] else {
                throw VectorFormatError("the file is not a JSON array")
            }
            cases = try array.map {
                guard let object = $0 as? [String: Any] else { throw VectorFormatError("an element is not a JSON object") }
                return VectorCase(object)
            }
        } catch {
            return FileReport(path: path, kind: nil, passed: 0, failed: 1, skipped: 0, notes: ["unreadable: \(error)"])
        }
        guard let first = cases.first else {
            return FileReport(path: path, kind: nil, passed: 0, failed: 1, skipped: 0, notes: ["the file holds no test case"])
        }
        guard let kind = VectorKind.detect(first.keys) else {
            return FileReport(path: path, kind: nil, passed: 0, failed: cases.count, skipped: 0,
                              notes: ["no known test-vector kind has the keys \(first.keys.sorted().joined(separator: ", "))"])
        }
        let run = kind.run
        var passed = 0, failed = 0, skipped = 0
        var notes: [String] = []
        for (index, vector) in cases.enumerated() {
            let outcome: CaseOutcome
            do {
                outcome = try run(vector)
            } catch let skip as SkipCase {
                outcome = .skipped(skip.reason)
            } catch {
                outcome = .failed("\(error)")
            }
            switch outcome {
            case .passed: passed += 1
            case .skipped(let reason):
                skipped += 1
                if !notes.contains(reason) { notes.append(reason) }
            case .failed(let reason):
                failed += 1
                if notes.count < 8 { notes.append("case \(index): \(reason)") }
            }
        }
        return FileReport(path: path, kind: kind.name, passed: passed, failed: failed, skipped: skipped, notes: notes)
    }

    /// Runs every file under `paths`, calling `progress` after each file.
    public static func run(paths: [String], progress: (FileReport) -> Void = { _ in }) throws -> ConformanceReport {
        var reports: [FileReport] = []
        for file in try collectFiles(paths) {
            let report = run(file: file)
            progress(report)
            reports.append(report)
        }
        return ConformanceReport(files: reports)
    }

    /// One line describing a file's outcome.
    public static func line(for report: FileReport) -> String {
        let status = report.failed > 0 ? "FAIL" : (report.passed > 0 ? "ok  " : "skip")
        let name = (report.path as NSString).lastPathComponent
        var text = "\(status) \(name) [\(report.kind ?? "unknown")]: \(report.passed) passed, \(report.failed) failed, \(report.skipped) skipped"
        if !report.notes.isEmpty { text += " — " + report.notes.joined(separator: "; ") }
        return text
    }
}
