import ArgumentParser
import Foundation
import IsnadKit

/// `isnad chat NAME`: an interactive view of one conversation. New messages appear as the relay
/// pushes them (WebSocket); each line typed is sent. `/quit` or end of input leaves.
struct ChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat", abstract: "Talk interactively: shows new messages as they arrive and sends each line you type.",
        discussion: "Type /quit (or end the input) to leave. Messages for other conversations are shown with their name.")

    @OptionGroup var client: ClientOptions
    @Argument(help: "A contact's or group's name.") var name: String

    enum Event: Sendable { case wake, line(String), end }

    func run() async throws {
        try await client.withMessenger { messenger in
            for message in try messenger.history(name).suffix(20) { say(MessageLine.text(message, showConversation: false)) }
            say("-- chatting with \(name); /quit to leave --")
            let (events, continuation) = AsyncStream<Event>.makeStream()
            // Standard input blocks: read it on its own thread and feed the one event loop below.
            let reader = Thread {
                while let line = readLine() { continuation.yield(.line(line)) }
                continuation.yield(.end)
            }
            reader.start()
            let arrivals = try await messenger.arrivalWatcher()
            let watcher = Task {
                do { try await arrivals.run { continuation.yield(.wake) } } catch { printError("\(error)") }
            }
            defer { watcher.cancel() }
            continuation.yield(.wake)
            // One consumer: the Messenger is driven by this loop only.
            for await event in events {
                switch event {
                case .wake:
                    let report = try await messenger.sync()
                    for message in report.messages where message.from != "me" {
                        say(MessageLine.text(message, showConversation: message.conversation != name))
                    }
                    report.problems.forEach { printError($0) }
                case .line(let text):
                    let trimmed = text.trimmingCharacters(in: .whitespaces)
                    if trimmed == "/quit" { return }
                    if !trimmed.isEmpty { try await messenger.send(trimmed, to: name) }
                case .end:
                    return
                }
            }
        }
    }

    /// Prints a line at once, even when standard output is a pipe (block-buffered otherwise).
    func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
