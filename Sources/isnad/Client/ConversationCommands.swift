import ArgumentParser
import Foundation
import IsnadKit
#if canImport(Glibc)
import Glibc
#endif

/// `isnad send NAME TEXT` or `isnad send NAME --file PATH`.
struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send", abstract: "Send a message or a file to a contact or group.",
        discussion: """
            A file is encrypted with a fresh key and uploaded in pieces; an interrupted upload resumes when the same command runs again. \
            When the conversation's relay cannot be reached, a message goes by the members' other relays.
            """)

    @OptionGroup var client: ClientOptions
    @Argument(help: "A contact's or group's name.") var name: String
    @Argument(help: "The message.") var text: String?
    @Option(help: ArgumentHelp("Send this file.", valueName: "path")) var file: String?
    @Flag(help: "Send the message by every route at once: the conversation's relay and each member's other relays.") var allRoutes = false

    func validate() throws {
        guard (text == nil) != (file == nil) else { throw ValidationError("Give either a message or --file PATH.") }
    }

    func run() async throws {
        try await client.withMessenger { messenger in
            if let file {
                let bar = ProgressBar(label: URL(fileURLWithPath: file).lastPathComponent)
                _ = try await messenger.sendFile(file, to: name) { bar.show($0, of: $1) }
                bar.finish()
            } else if let text {
                _ = try await messenger.send(text, to: name, allRoutes: allRoutes)
            }
        }
    }
}

/// `isnad save NAME --to DIR`: writes the files received in a conversation.
struct SaveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "save", abstract: "Write the files received in a conversation into a folder.")

    @OptionGroup var client: ClientOptions
    @Argument(help: "A contact's or group's name.") var name: String
    @Option(help: ArgumentHelp("The folder to write into.", valueName: "dir")) var to: String

    func run() async throws {
        let written = try await client.withMessenger { try $0.saveFiles(name, to: to) }
        written.forEach { print($0) }
    }
}

/// `isnad sync [--json]`: fetch, process, acknowledge; print what arrived.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Fetch and process everything waiting on the relays, and print what arrived.",
        discussion: "Exits with status 1 after printing when something that arrived was damaged, tampered with, replayed or missing.")

    @OptionGroup var client: ClientOptions
    @Flag(help: "Print JSON (docs/client.md).") var json = false

    func run() async throws {
        let report = try await client.withMessenger { try await $0.sync() }
        if json {
            try JSONOutput.print(report)
        } else {
            report.messages.forEach { print(MessageLine.text($0)) }
        }
        for problem in report.problems { printError(problem) }
        if !report.problems.isEmpty { throw ExitCode(1) }
    }
}

/// `isnad read NAME [--json]`: a conversation's history.
struct ReadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "read", abstract: "Show the history of a conversation with a contact or group.")

    @OptionGroup var client: ClientOptions
    @Argument(help: "A contact's or group's name.") var name: String
    @Flag(help: "Print JSON (docs/client.md).") var json = false

    func run() async throws {
        let messages = try await client.withMessenger { try $0.history(name) }
        if json {
            try JSONOutput.print(["conversation": AnyEncodable(name), "messages": AnyEncodable(messages)])
        } else {
            messages.forEach { print(MessageLine.text($0, showConversation: false)) }
        }
    }
}

/// How one message reads on a terminal.
enum MessageLine {
    static func text(_ message: MessageView, showConversation: Bool = true) -> String {
        let time = ISO8601DateFormatter.string(from: message.sentAt, timeZone: .current, formatOptions: [.withFullDate, .withTime, .withColonSeparatorInTime, .withDashSeparatorInDate, .withSpaceBetweenDateAndTime])
        let place = showConversation ? "[\(message.conversation)] " : ""
        if message.kind == "event" { return "\(time) \(place)* \(message.text)" }
        if let file = message.file {
            return "\(time) \(place)\(message.from): [file \(file.name), \(file.size) bytes\(file.isDownloaded ? "" : ", not downloaded")]"
        }
        return "\(time) \(place)\(message.from): \(message.text)"
    }
}

/// A value of any Encodable type, for small JSON objects of mixed values.
struct AnyEncodable: Encodable {
    let encodeValue: (any Encoder) throws -> Void
    init<T: Encodable>(_ value: T) { encodeValue = value.encode }
    func encode(to encoder: any Encoder) throws { try encodeValue(encoder) }
}
