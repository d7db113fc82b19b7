import ArgumentParser
import Foundation
import IsnadKit
import IsnadWire

/// `isnad report`: check a report file, send it to an observatory, ask for a submission's status.
///
/// Until the client's encrypted store exists, `send` works in one invocation with an in-memory
/// outbox and a one-time reporter identity: it waits for the receipt and writes it to a file.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Incident reports: check one, send it sealed to an observatory, follow its status.",
        subcommands: [ReportNew.self, ReportSend.self, ReportStatus.self]
    )
}

/// Reads and validates a report JSON file (docs/reports.md, "JSON").
func readReport(_ path: String) throws -> Report {
    let bytes: Data
    do {
        bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
        throw CommandFailure("The report file \(path) could not be read.")
    }
    do {
        let report = try Report(json: Array(bytes))
        try report.validate(now: Date())
        return report
    } catch {
        throw CommandFailure("The report in \(path) is not valid: \(error.field.map { "\($0): " } ?? "")\(error.message)")
    }
}

/// `isnad report new --from FILE.json`: checks a report against the schema and shows what will be signed.
struct ReportNew: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new", abstract: "Check a report written as JSON (docs/reports.md) against the schema; prints its summary.")

    @Option(help: ArgumentHelp("The report as JSON.", valueName: "FILE.json"))
    var from: String

    func run() async throws {
        let report = try readReport(from)
        print("valid report: \(report.incidentType.rawValue), \(report.victims.count) named victims, \(report.evidence.count) evidence items; "
              + "\(report.canonicalBytes.count) bytes when signed")
    }
}

/// `isnad report send`: signs, seals, delivers and waits for a verified receipt.
struct ReportSend: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Sign a report with a one-time reporter key, seal it to the observatory's published key, deliver it, and wait for its verified receipt.")

    @Option(help: ArgumentHelp("The report as JSON.", valueName: "FILE.json"))
    var from: String

    @Option(help: ArgumentHelp("The observatory's base URL.", valueName: "URL"))
    var observatory: String

    @Option(help: ArgumentHelp("Where to write the receipt's bytes.", valueName: "path"))
    var receiptOut: String

    @Option(help: "Seconds to wait for the receipt (default 120).")
    var timeout: Double = 120

    func run() async throws {
        let report = try readReport(from)
        guard let url = URL(string: observatory), url.scheme == "http" || url.scheme == "https" else {
            throw ValidationError("--observatory must be an http or https URL.")
        }
        var generator = SystemRandomNumberGenerator()
        let sender = ReportSender(outbox: InMemoryReportOutbox())
        do {
            let item = try await sender.prepare(report, identity: ReporterIdentity.generate(using: &generator), observatory: url)
            print("submission \(item.id.uuidString.lowercased())")
            let done = try await sender.deliver(item.id, until: Date() + timeout)
            switch done.state {
            case .delivered(let receipt, let index):
                try Data(receipt).write(to: URL(fileURLWithPath: receiptOut))
                print("logged at index \(index); receipt verified and written to \(receiptOut)")
            case .rejected(let reason, let message):
                throw CommandFailure("The observatory rejected the report (\(reason)): \(message)")
            case .waiting, .submitted:
                throw CommandFailure("No receipt yet.")
            }
        } catch let error as ReportingError {
            throw CommandFailure(error.message)
        } catch let error as WireError {
            throw CommandFailure(error.message)
        }
    }
}

/// `isnad report status`: a submission's state at an observatory.
struct ReportStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show a submission's status at an observatory.")

    @Option(help: ArgumentHelp("The observatory's base URL.", valueName: "URL"))
    var observatory: String

    @Option(help: ArgumentHelp("The submission ID printed by `isnad report send`.", valueName: "uuid"))
    var submission: String

    @Flag(help: "Print the observatory's JSON status: {id, state, received_at, reason?, message?, log_index?, receipt?, stored_report_commitment?}.")
    var json = false

    func run() async throws {
        guard let url = URL(string: observatory), let id = UUID(uuidString: submission) else {
            throw ValidationError("Give an http(s) --observatory URL and a UUID --submission.")
        }
        let status: ObservatoryAPI.SubmissionStatus
        do {
            status = try await ObservatoryClient(baseURL: url).status(id: id)
        } catch let error as ReportingError {
            throw CommandFailure(error.code == .unreachable ? "The observatory at \(observatory) could not be reached." : error.message)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(status), as: UTF8.self))
            return
        }
        var line = "\(status.id): \(status.state)"
        if let index = status.logIndex { line += " at log index \(index)" }
        if let reason = status.reason { line += " (\(reason)): \(status.message ?? "")" }
        print(line)
    }
}
