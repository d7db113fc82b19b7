import ArgumentParser
import Foundation
import IsnadKit
import IsnadWire

/// `isnad report`: write a report (drafts in the identity's encrypted home folder), attach
/// evidence, send it sealed to an observatory, follow it until its verified receipt arrives.
///
/// The reporter's key, drafts, outbox and pinned observatory keys live in the home folder's
/// encrypted store (docs/reports.md, "Reporting from the command line").
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Incident reports: write one, attach evidence, send it sealed to an observatory, follow it to its receipt.",
        subcommands: [ReportNew.self, ReportCheck.self, ReportAttach.self, ReportSend.self, ReportStatus.self, ReportSync.self, ReportReceiptCommand.self]
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

/// `isnad report check FILE.json`: checks a report against the schema and shows what will be signed.
struct ReportCheck: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Check a report written as JSON (docs/reports.md) against the schema; prints its summary.")

    @Argument(help: ArgumentHelp("The report as JSON.", valueName: "FILE.json"))
    var file: String

    func run() async throws {
        let report = try readReport(file)
        print("valid report: \(report.incidentType.rawValue), \(report.victims.count) named victims, \(report.evidence.count) evidence items; "
              + "\(report.canonicalBytes.count) bytes when signed")
    }
}

/// `isnad report send --from FILE --observatory URL --receipt-out PATH`: the one-shot form, without a
/// home folder: a one-time reporter key, an in-memory outbox; waits for the verified receipt.
struct OneShotReportSend {

    var from: String
    var observatory: String
    var receiptOut: String
    var timeout: Double

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

/// `isnad report status --observatory URL --submission UUID`: a submission's state at an observatory.
struct RemoteStatus {
    var observatory: String
    var submission: String
    var json: Bool

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
