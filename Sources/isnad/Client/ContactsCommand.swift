import ArgumentParser
import Foundation
import IsnadKit
#if canImport(Glibc)
import Glibc
#endif

/// `isnad contacts [list|add|verify]`.
struct ContactsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "contacts", abstract: "List, add and verify contacts.",
                                                    subcommands: [List.self, Add.self, Verify.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List contacts with their verification state.")
        @OptionGroup var client: ClientOptions
        @Flag(help: "Print JSON (docs/client.md).") var json = false

        func run() async throws {
            try await client.withMessenger { messenger in
                let contacts = try messenger.contacts()
                if json { return try JSONOutput.print(["contacts": contacts]) }
                for contact in contacts {
                    let state = contact.identityChanged ? "IDENTITY KEY CHANGED" : contact.isVerified ? "verified" : "not verified"
                    print("\(contact.name)\t\(state)")
                }
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a contact from their invite; they need not be online.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The invite string (isnad://invite/…).") var invite: String
        @Option(help: "The name you will call this contact.") var name: String

        func run() async throws {
            try await client.withMessenger { messenger in
                try await messenger.addContact(invite: invite, name: name)
                print("Added \(name). Compare safety numbers in person with `isnad contacts verify \(name)`.")
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the safety number with a contact; record that you compared it in person.",
            discussion: "Without --confirm, a terminal asks whether the numbers matched. Confirming also accepts a changed identity key.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The contact's name.") var name: String
        @Flag(help: "Record that the numbers matched, without asking.") var confirm = false
        @Flag(help: "Print JSON (docs/client.md).") var json = false

        func run() async throws {
            try await client.withMessenger { messenger in
                let summary = try messenger.safetyNumber(with: name)
                if json {
                    try JSONOutput.print(summary)
                } else {
                    if summary.identityChanged { print("WARNING: \(name)'s identity key has changed. Compare this new number in person.") }
                    print("Safety number with \(name):")
                    print(SafetyNumber(digits: summary.safetyNumber).grouped)
                }
                var confirmed = confirm
                if !confirmed, !json, isatty(STDIN_FILENO) != 0 {
                    print("Did \(name) read out the same digits? [y/N] ", terminator: "")
                    confirmed = readLine()?.lowercased().hasPrefix("y") ?? false
                }
                if confirmed {
                    try messenger.confirmVerified(name)
                    if !json { print("\(name) is verified.") }
                }
            }
        }
    }
}
