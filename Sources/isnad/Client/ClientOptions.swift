import ArgumentParser
import Foundation
import IsnadKit
#if canImport(Glibc)
import Glibc
#endif

/// The options every client command shares: which home folder (identity) to use.
///
/// `--home DIR` may also stand before the command (`isnad --home DIR send …`); `Isnad.main`
/// moves it into `ISNAD_HOME`.
struct ClientOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The identity's home folder (env ISNAD_HOME; default $XDG_DATA_HOME/isnad/home).", valueName: "dir"))
    var home: String?

    var resolvedHome: Home { Home.resolve(explicit: home) }

    /// The passphrase: `$ISNAD_PASSPHRASE`, else typed at the terminal (twice when `confirming`).
    func passphrase(confirming: Bool = false) throws -> String {
        if let fromEnvironment = ProcessInfo.processInfo.environment["ISNAD_PASSPHRASE"] {
            guard !fromEnvironment.isEmpty else { throw ClientError(.invalidRequest, "ISNAD_PASSPHRASE is set but empty.") }
            return fromEnvironment
        }
        guard isatty(STDIN_FILENO) != 0 else {
            throw ClientError(.invalidRequest, "No passphrase: set ISNAD_PASSPHRASE or run isnad in a terminal to type it.")
        }
        let first = try prompt("Passphrase for \(resolvedHome.url.path): ")
        guard !first.isEmpty else { throw ClientError(.invalidRequest, "The passphrase may not be empty.") }
        if confirming {
            guard try prompt("Repeat the passphrase: ") == first else {
                throw ClientError(.invalidRequest, "The two passphrases differ; nothing was created.")
            }
        }
        return first
    }

    private func prompt(_ text: String) throws -> String {
        guard let raw = getpass(text) else { throw ClientError(.invalidRequest, "The passphrase could not be read from the terminal.") }
        return String(cString: raw)
    }

    /// Opens this home's identity and runs `body`, turning every failure into one sentence.
    func withMessenger<T>(_ body: (Messenger) async throws -> T) async throws -> T {
        try await clientSentence {
            let messenger = try Messenger.open(home: resolvedHome, passphrase: try passphrase())
            let result = try await body(messenger)
            // What went wrong but did not stop the command (a relay down, a fallback route used).
            var printed: Set<String> = []
            for notice in messenger.notices where printed.insert(notice).inserted { printError(notice) }
            return result
        }
    }
}

/// Runs `body`; an unexpected error becomes one sentence (ClientErrors already are one).
func clientSentence<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as ClientError {
        throw error
    } catch let error as ValidationError {
        throw error
    } catch {
        throw ClientError(.invalidRequest, "isnad failed unexpectedly: \(String(describing: type(of: error))).")
    }
}

/// JSON as the `--json` listings print it: sorted keys, RFC 3339 times (docs/client.md).
enum JSONOutput {
    static func print<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        Swift.print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}

/// Writes one line to standard error.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
