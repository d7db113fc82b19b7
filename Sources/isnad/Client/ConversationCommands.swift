import ArgumentParser
import Foundation
import IsnadKit

/// `isnad send NAME TEXT`.
struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "send", abstract: "Send a message to a contact or group.")

    @OptionGroup var client: ClientOptions
    @Argument(help: "A contact's or group's name.") var name: String
    @Argument(help: "The message.") var text: String

    func run() async throws {
        try await client.withMessenger { messenger in
            _ = try await messenger.send(text, to: name)
        }
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
        return message.kind == "event" ? "\(time) \(place)* \(message.text)" : "\(time) \(place)\(message.from): \(message.text)"
    }
}

/// A value of any Encodable type, for small JSON objects of mixed values.
struct AnyEncodable: Encodable {
    let encodeValue: (any Encoder) throws -> Void
    init<T: Encodable>(_ value: T) { encodeValue = value.encode }
    func encode(to encoder: any Encoder) throws { try encodeValue(encoder) }
}
