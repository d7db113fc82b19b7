import ArgumentParser
import Foundation
import IsnadKit

/// `isnad group create|add|remove|leave|info`.
struct GroupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "group", abstract: "Create and manage groups.",
                                                    subcommands: [Create.self, Add.self, Remove.self, Leave.self, Info.self, List.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a group with some of your contacts.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The group's name.") var name: String
        @Option(help: "Contacts' names, separated by commas.") var members: String

        func run() async throws {
            let names = members.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            try await client.withMessenger { try await $0.createGroup(name, members: names) }
            print("Created \(name).")
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a contact to a group.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The group's name.") var name: String
        @Argument(help: "The contact's name.") var member: String

        func run() async throws {
            try await client.withMessenger { try await $0.addMember(member, toGroup: name) }
            print("Added \(member) to \(name).")
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a member from a group.",
            discussion: "The commit carries a fresh path: from the next epoch on the removed device can read nothing.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The group's name.") var name: String
        @Argument(help: "The member's name, as `group info` shows it.") var member: String

        func run() async throws {
            try await client.withMessenger { try await $0.removeMember(member, fromGroup: name) }
            print("Removed \(member) from \(name).")
        }
    }

    struct Leave: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Leave a group.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The group's name.") var name: String

        func run() async throws {
            try await client.withMessenger { try await $0.leaveGroup(name) }
            print("You left \(name).")
        }
    }

    struct Info: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a group's members, their verification state and its epoch.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The group's (or a contact's) name.") var name: String
        @Flag(help: "Print JSON (docs/client.md).") var json = false

        func run() async throws {
            let details = try await client.withMessenger { try $0.details(name) }
            if json { return try JSONOutput.print(details) }
            print("\(details.name) (\(details.kind), epoch \(details.epoch)\(details.isActive ? "" : ", you are no longer a member"))")
            for member in details.members {
                print("  \(member.name)\(member.isMe ? "" : member.isVerified ? "\tverified" : "\tnot verified")")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List your groups.")
        @OptionGroup var client: ClientOptions
        @Flag(help: "Print JSON (docs/client.md).") var json = false

        func run() async throws {
            let names = try await client.withMessenger { try $0.conversationNames().map(\.name) }
            if json { return try JSONOutput.print(["groups": names]) }
            names.forEach { print($0) }
        }
    }
}
