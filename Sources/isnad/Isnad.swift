import ArgumentParser
import Foundation

/// The `isnad` command line: thin commands over the Isnad libraries.
@main
struct Isnad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "isnad",
        abstract: "Secure communication and verifiable reporting for people under surveillance and blackout.",
        version: "0.1.0",
        subcommands: [
            Serve.self, RelayCommand.self, BackupCommand.self, ObservatoryCommand.self, ReportCommand.self, Verify.self, Conformance.self, InteropPeer.self,
            InitCommand.self, InviteCommand.self, ContactsCommand.self, SendCommand.self, SyncCommand.self, ReadCommand.self,
            GroupCommand.self, RelaysCommand.self, SaveCommand.self, ChatCommand.self,
        ]
    )

    /// Accepts the global `--home DIR` before the command name (`isnad --home DIR send …`) by
    /// moving it into `ISNAD_HOME`, which every client command reads.
    static func main() async {
        var arguments = Array(CommandLine.arguments.dropFirst())
        while let first = arguments.first, first == "--home" || first.hasPrefix("--home=") {
            let value: String?
            if first == "--home" {
                value = arguments.count > 1 ? arguments[1] : nil
                arguments.removeFirst(min(2, arguments.count))
            } else {
                value = String(first.dropFirst("--home=".count))
                arguments.removeFirst()
            }
            if let value { setenv("ISNAD_HOME", value, 1) }
        }
        await main(arguments)
    }
}
