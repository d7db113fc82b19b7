import ArgumentParser
import Foundation
import IsnadStore
import IsnadStoreSQLite
import Synchronization

/// `isnad backup DEST`: a consistent copy of a server's data folder, while it runs.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy a server's data folder (its SQLite databases and the observatory's keys) into a new folder, while the server runs.",
        discussion: """
            Each database is copied as it stood at one moment, whatever the server writes meanwhile. \
            The copy holds the observatory's private keys: keep it as safe as the server. To restore, stop the \
            server and put the copied files into an empty data folder. A server on PostgreSQL keeps its data \
            there: back it up with pg_dump (its keys file stays in the data folder, which this command copies).
            """)

    @Option(help: "The server's data folder (env ISNAD_DATA; default $XDG_DATA_HOME/isnad/relay, as for isnad serve).")
    var data: String?

    @Argument(help: "A folder for the copy; created if missing, and it must be empty.")
    var destination: String

    @Flag(help: "Print what was copied as JSON: [{name, bytes, database}].")
    var json = false

    func run() async throws {
        let source = (data ?? ProcessInfo.processInfo.environment["ISNAD_DATA"]).map { URL(fileURLWithPath: $0) }
            ?? ServerOptions.defaultDataFolder()
        let bars = Bars()
        let copied: [DataFolderBackup.Copied]
        do {
            copied = try DataFolderBackup.copy(from: source, to: URL(fileURLWithPath: destination)) { name, written, total in
                bars.show(name, written, total)
            }
            bars.finish()
        } catch let error as StoreError {
            bars.finish()
            throw CommandFailure(error.message)
        }
        if json {
            try JSONOutput.print(copied)
        } else {
            for file in copied {
                print("\(file.name)\t\(String(format: "%.1f MiB", Double(file.bytes) / 1_048_576))\t\(file.database ? "database, as of one moment" : "file")")
            }
            print("copied \(copied.count) file\(copied.count == 1 ? "" : "s") from \(source.path) to \(destination)")
        }
    }

    /// One progress bar per file, on a terminal.
    final class Bars: Sendable {
        private let current = Mutex<(name: String, bar: ProgressBar)?>(nil)

        func show(_ name: String, _ written: Int64, _ total: Int64) {
            current.withLock { current in
                if current?.name != name {
                    current?.bar.finish()
                    current = (name, ProgressBar(label: name))
                }
                current?.bar.show(written, of: total)
            }
        }

        func finish() {
            current.withLock { $0?.bar.finish(); $0 = nil }
        }
    }
}
