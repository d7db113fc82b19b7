import ArgumentParser

/// The `isnad` command line: thin commands over the Isnad libraries.
@main
struct Isnad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "isnad",
        abstract: "Secure communication and verifiable reporting for people under surveillance and blackout.",
        version: "0.1.0",
        subcommands: [Serve.self, RelayCommand.self, ObservatoryCommand.self, ReportCommand.self, Verify.self, Conformance.self, InteropPeer.self]
    )
}
