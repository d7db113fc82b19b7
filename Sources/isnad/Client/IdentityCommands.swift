import ArgumentParser
import Foundation
import IsnadKit

/// `isnad init --name NAME --relay URL`: creates an identity in the home folder.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Create an identity (identity key, first device) in the home folder.")

    @OptionGroup var client: ClientOptions
    @Option(help: "The name your contacts see first (they may rename you).") var name: String
    @Option(help: "The relay to register on, e.g. http://127.0.0.1:7420.") var relay: String

    func run() async throws {
        try await clientSentence {
            let messenger = try await Messenger.create(home: client.resolvedHome, passphrase: try client.passphrase(confirming: true), name: name, relay: relay)
            print("Created an identity in \(client.resolvedHome.url.path) on \(try messenger.relayURLs().joined(separator: ", ")).")
        }
    }
}

/// `isnad invite`: prints one invite string, and nothing else, on standard output.
struct InviteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "invite", abstract: "Print a one-time invite (an isnad:// string) to hand to a new contact.")

    @OptionGroup var client: ClientOptions

    func run() async throws {
        try await client.withMessenger { messenger in print(try messenger.makeInvite().string) }
    }
}

/// `isnad relays list|add`: the relays this identity uses (the first is the primary).
struct RelaysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "relays", abstract: "List or add the relays this identity uses.",
                                                    subcommands: [List.self, Add.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the relays, primary first.")
        @OptionGroup var client: ClientOptions
        @Flag(help: "Print JSON (docs/client.md).") var json = false
        func run() async throws {
            try await client.withMessenger { messenger in
                let urls = try messenger.relayURLs()
                if json { try JSONOutput.print(["relays": urls]) } else { urls.forEach { print($0) } }
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register this device on another relay (a fallback route).")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The relay's URL.") var url: String
        func run() async throws {
            try await client.withMessenger { messenger in
                try await messenger.addRelay(url)
                print("Registered on \(url).")
            }
        }
    }
}
