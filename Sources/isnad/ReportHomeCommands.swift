import ArgumentParser
import Foundation
import IsnadKit
import IsnadWire
#if canImport(Glibc)
import Glibc
#endif

/// Opens the reporter of this home and runs `body`; every failure becomes one sentence.
func withReporter<T>(_ options: ClientOptions, _ body: (Reporter) async throws -> T) async throws -> T {
    try await clientSentence {
        do {
            return try await body(try Reporter.open(home: options.resolvedHome, passphrase: try options.passphrase()))
        } catch let error as ReportingError {
            throw ClientError(.invalidRequest, error.message)
        } catch let error as WireError {
            throw ClientError(.invalidRequest, error.message)
        }
    }
}

/// `isnad report new`: asks for the main fields on a terminal (or reads `--from FILE.json`) and saves a draft.
struct ReportNew: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Write a report: answer the questions (\"unknown\" is always accepted) or give --from FILE.json; saves a draft and prints its ID.")

    @OptionGroup var client: ClientOptions

    @Option(help: ArgumentHelp("The report as JSON (docs/reports.md) instead of questions.", valueName: "FILE.json"))
    var from: String?

    func run() async throws {
        let report: Report
        if let from {
            report = try readReport(from)
        } else {
            guard isatty(STDIN_FILENO) != 0 else {
                throw ValidationError("Give --from FILE.json, or run `isnad report new` in a terminal to answer questions.")
            }
            report = try ReportQuestions().ask()
        }
        let id = try await withReporter(client) { try $0.create(report) }
        print(id)
    }
}

/// The questions `isnad report new` asks on a terminal. Every answer may be "unknown" (or empty).
struct ReportQuestions {
    func ask() throws -> Report {
        let types = IncidentType.allCases.map(\.rawValue)
        let perpetrators = Perpetrator.allCases.map(\.rawValue)
        var object: [String: Any] = ["schema_version": 1]
        object["incident_type"] = try choose("Incident type (\(types.joined(separator: ", ")))", from: types, unknown: "other")
        let date = line("Date: YYYY-MM-DD, YYYY-MM, YYYY-MM-DDTHH:MM:SSZ (UTC), or unknown")
        switch date?.count {
        case nil: break
        case 7: object["occurred"] = ["precision": "month", "value": date ?? ""]
        case 10: object["occurred"] = ["precision": "day", "value": date ?? ""]
        default: object["occurred"] = ["precision": "exact", "value": date ?? ""]
        }
        var place: [String: String] = [:]
        for field in ["governorate", "district", "locality"] { place[field] = line("Place: \(field)") }
        if !place.isEmpty { object["place"] = place }
        if let killed = line("How many killed (a number, or unknown)") {
            guard let number = Int(killed), number >= 0 else { throw CommandFailure("The number of people killed is a whole number or unknown.") }
            object["counts"] = ["killed": ["total": number]]
        }
        object["alleged_perpetrator"] = try choose("Alleged perpetrator (\(perpetrators.joined(separator: ", ")))", from: perpetrators, unknown: "unknown")
        if let narrative = line("What happened, in your words (one line)") { object["narrative"] = narrative }
        let json = try JSONSerialization.data(withJSONObject: object)
        do {
            let report = try Report(json: Array(json))
            try report.validate(now: Date())
            return report
        } catch {
            throw CommandFailure("The report is not valid: \(error.field.map { "\($0): " } ?? "")\(error.message)")
        }
    }

    /// One answer; `nil` for empty or "unknown".
    func line(_ question: String) -> String? {
        Swift.print("\(question): ", terminator: "")
        guard let answer = readLine()?.trimmingCharacters(in: .whitespaces), !answer.isEmpty, answer.lowercased() != "unknown" else { return nil }
        return answer
    }

    func choose(_ question: String, from values: [String], unknown: String) throws -> String {
        while true {
            guard let answer = line(question) else { return unknown }
            if values.contains(answer) { return answer }
            Swift.print("Please answer one of: \(values.joined(separator: ", ")), or unknown.")
        }
    }
}

/// `isnad report attach ID FILE`: adds an evidence item (hash, media type, size, capture time, device note).
struct ReportAttach: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attach", abstract: "Add a file as evidence to a draft: its SHA-256, media type, size, capture time and a device note.")

    @OptionGroup var client: ClientOptions

    @Argument(help: "The report's ID (from `isnad report new`).")
    var id: String

    @Argument(help: "The evidence file.")
    var file: String

    @Option(help: "A note on the capturing device, e.g. \"phone camera\".")
    var note: String?

    @Option(help: ArgumentHelp("When it was captured: YYYY-MM-DDTHH:MM:SSZ, YYYY-MM-DD or YYYY-MM (default: the file's modification time, approximate).", valueName: "time"))
    var captured: String?

    func run() async throws {
        let captureTime = try captured.map(Self.parseTime)
        let item = try await withReporter(client) { try $0.attach(id, file: URL(fileURLWithPath: file), captureTime: captureTime, note: note) }
        print("attached \(item.mediaType), \(item.size) bytes, sha256 \(item.sha256.map { String(format: "%02x", $0) }.joined())")
    }

    static func parseTime(_ text: String) throws -> ReportTime {
        let precision = text.count == 7 ? "month" : text.count == 10 ? "day" : "exact"
        let json = try JSONSerialization.data(withJSONObject: ["precision": precision, "value": text])
        guard let time = try? JSONDecoder().decode(ReportTime.self, from: json) else {
            throw ValidationError("--captured is YYYY-MM-DDTHH:MM:SSZ (UTC), YYYY-MM-DD or YYYY-MM.")
        }
        return time
    }
}

/// `isnad report send ID OBSERVATORY_URL`: signs, seals, queues and tries to deliver.
struct ReportSend: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Sign a draft with your key for this observatory, seal it to the observatory's (pinned) key, and deliver it; it waits in the outbox until its receipt verifies.")

    @OptionGroup var client: ClientOptions

    @Argument(help: "The report's ID.")
    var id: String?

    @Argument(help: "The observatory's base URL.")
    var observatoryURL: String?

    @Flag(help: "Accept and pin a key that differs from the one pinned for this observatory.")
    var acceptNewKey = false

    @Option(help: "Seconds to wait for the receipt (default 30; the report stays in the outbox after).")
    var timeout: Double = 30

    @Option(help: ArgumentHelp("One-shot, without a home folder: the report as JSON.", valueName: "FILE.json"))
    var from: String?

    @Option(help: ArgumentHelp("One-shot: the observatory's base URL.", valueName: "URL"))
    var observatory: String?

    @Option(help: ArgumentHelp("One-shot: where to write the receipt's bytes.", valueName: "path"))
    var receiptOut: String?

    func run() async throws {
        if let from, let observatory, let receiptOut {
            try await OneShotReportSend(from: from, observatory: observatory, receiptOut: receiptOut, timeout: timeout).run()
            return
        }
        guard let id, let text = observatoryURL else {
            throw ValidationError("Give the report's ID and the observatory's URL: isnad report send ID URL.")
        }
        guard let url = URL(string: text), url.scheme == "http" || url.scheme == "https", url.host != nil else {
            throw ValidationError("The observatory's URL must be an http or https URL.")
        }
        let done = try await withReporter(client) { reporter in
            let item = try await reporter.send(id, to: url, acceptNewKey: acceptNewKey)
            let done = try await reporter.deliver(item.id, timeout: timeout)
            try await reporter.nudge()  // and one try for every other report still waiting
            try ReportSync.explain(done, id: id)
            try await ReportSync.uploadEvidence(reporter)
            return done
        }
        _ = done
    }
}

/// `isnad report sync`: retries every report still waiting for its receipt.
struct ReportSync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Retry every report still waiting, until its verified receipt arrives.")

    @OptionGroup var client: ClientOptions

    @Option(help: "Seconds to wait for each receipt (default 30).")
    var timeout: Double = 30

    func run() async throws {
        let failed = try await withReporter(client) { reporter in
            let items = try await reporter.sync(timeout: timeout)
            let ids = Dictionary(try await reporter.summaries().compactMap { s in s.submission.map { ($0, s.id) } }, uniquingKeysWith: { $1 })
            let results = items.map { (ids[$0.id.uuidString.lowercased()] ?? $0.id.uuidString.lowercased(), $0) }
            if results.isEmpty { print("nothing waiting") }
            var failed = false
            for (id, item) in results {
                do { try Self.explain(item, id: id) } catch let error as ClientError {
                    printError(error.message)
                    failed = true
                }
            }
            try await Self.uploadEvidence(reporter)
            return failed
        }
        if failed { throw ExitCode.failure }
    }

    /// Uploads the attached files of every delivered report, with a progress bar per file on a terminal.
    static func uploadEvidence(_ reporter: Reporter) async throws {
        let bars = EvidenceBars()
        let uploads = try await reporter.uploadEvidence { hex, held, total in bars.show(hex, held, total) }
        bars.finish()
        var changed: [String] = []
        for (id, files) in uploads.sorted(by: { $0.key < $1.key }) {
            let received = files.filter { $0.state == "received" }.count
            if !files.isEmpty { print("\(id): \(received) of \(files.count) evidence file(s) received by the observatory") }
            changed += files.filter { $0.state == "changed" }.map { $0.message ?? "An attached file changed since it was attached; it was not sent." }
        }
        if !changed.isEmpty { throw ClientError(.invalidRequest, changed.joined(separator: " ")) }
    }

    /// Prints where a submission ended up; a rejection is an error.
    static func explain(_ item: OutboxItem, id: String) throws {
        switch item.state {
        case .delivered(_, let index):
            print("\(id): delivered at log index \(index); receipt verified")
        case .waiting, .submitted:
            print("\(id): waiting (the observatory could not be reached or has not logged it yet); `isnad report sync` retries")
        case .rejected(let reason, let message):
            throw ClientError(.relayRefused, "\(id): the observatory rejected the report (\(reason)): \(message)")
        }
    }
}

/// `isnad report status`: every report with its state; or, with --observatory and --submission, one submission's state there.
struct ReportStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "List your reports: draft, waiting, delivered (with its log index) or rejected (with the reason).")

    @OptionGroup var client: ClientOptions

    @Flag(help: "Print JSON: an array of {id, state, incident_type, evidence, created_at, observatory?, submission?, log_index?, reason?, message?, attempts?, evidence_files?: [{sha256, state, held_bytes, total_bytes}]}.")
    var json = false

    @Flag(help: "Do not contact observatories first (by default every waiting report is tried once).")
    var offline = false

    @Option(help: ArgumentHelp("Ask this observatory about --submission instead of listing the home folder's reports.", valueName: "URL"))
    var observatory: String?

    @Option(help: ArgumentHelp("The submission ID to ask --observatory about.", valueName: "uuid"))
    var submission: String?

    func run() async throws {
        if let observatory, let submission {
            try await RemoteStatus(observatory: observatory, submission: submission, json: json).run()
            return
        }
        let summaries = try await withReporter(client) { reporter in
            if !offline { try await reporter.nudge() }
            var summaries = try await reporter.summaries()
            if !offline {
                let states = try await reporter.evidenceStates()
                for index in summaries.indices { summaries[index].evidenceFiles = states[summaries[index].id] }
            }
            return summaries
        }
        if json {
            try JSONOutput.print(summaries)
            return
        }
        if summaries.isEmpty { print("no reports") }
        for s in summaries {
            var line = "\(s.id)  \(s.incidentType)  \(s.state)"
            if let index = s.logIndex { line += " at log index \(index)" }
            if let reason = s.reason { line += " (\(reason)): \(s.message ?? "")" }
            if let observatory = s.observatory { line += "  \(observatory)" }
            print(line)
        }
    }
}

/// `isnad report receipt ID > FILE`: writes the verified receipt's bytes, for `isnad verify`.
struct ReportReceiptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receipt", abstract: "Write a delivered report's receipt to standard output (isnad report receipt ID > receipt.bin; then isnad verify).")

    @OptionGroup var client: ClientOptions

    @Argument(help: "The report's ID.")
    var id: String

    func run() async throws {
        let receipt = try await withReporter(client) { try $0.receipt(id) }
        FileHandle.standardOutput.write(Data(receipt))
    }
}

/// One progress bar per evidence file being uploaded (standard error, terminals only).
final class EvidenceBars: @unchecked Sendable {
    let lock = NSLock()
    var current: (hex: String, bar: ProgressBar)?

    func show(_ hex: String, _ held: Int64, _ total: Int64) {
        lock.lock()
        defer { lock.unlock() }
        if current?.hex != hex {
            current?.bar.finish()
            current = (hex, ProgressBar(label: "evidence \(hex.prefix(12))"))
        }
        current?.bar.show(held, of: total)
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        current?.bar.finish()
        current = nil
    }
}
