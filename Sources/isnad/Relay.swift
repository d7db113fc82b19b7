import ArgumentParser
import Foundation
import Hummingbird
import IsnadRelay
import IsnadStorePostgres
import IsnadStoreSQLite
import Logging

/// Options shared by `isnad relay` and `isnad serve`: where to listen and where to keep data.
struct ServerOptions: ParsableArguments {
    @Option(help: "Address to listen on (env ISNAD_HOST).")
    var host: String = ProcessInfo.processInfo.environment["ISNAD_HOST"] ?? "127.0.0.1"

    @Option(help: "Port to listen on (env ISNAD_PORT).")
    var port: Int = Int(ProcessInfo.processInfo.environment["ISNAD_PORT"] ?? "") ?? 7420

    @Option(help: "Data folder for the embedded SQLite store (env ISNAD_DATA; default $XDG_DATA_HOME/isnad/relay).")
    var data: String?

    @Option(help: "Use this PostgreSQL database instead of SQLite, for several relay processes (env ISNAD_POSTGRES_URL).")
    var postgres: String?

    @Option(help: "Days an undelivered message is kept.")
    var retentionDays: Double = 30

    @Option(help: ArgumentHelp("Serve HTTPS with this PEM certificate chain, leaf first; needs --tls-key.", valueName: "path"))
    var tlsCert: String?

    @Option(help: ArgumentHelp("The PEM private key of --tls-cert.", valueName: "path"))
    var tlsKey: String?

    func validate() throws {
        guard (tlsCert == nil) == (tlsKey == nil) else {
            throw ValidationError("--tls-cert and --tls-key go together: give both to serve HTTPS, or neither for plain HTTP.")
        }
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535.") }
        guard retentionDays > 0 else { throw ValidationError("--retention-days must be positive.") }
    }

    var dataFolder: URL {
        let environment = ProcessInfo.processInfo.environment
        if let data = data ?? environment["ISNAD_DATA"] { return URL(fileURLWithPath: data) }
        let base = environment["XDG_DATA_HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".local/share")
        return base.appendingPathComponent("isnad/relay")
    }

    /// Builds the relay on the chosen store and runs it until SIGINT/SIGTERM (graceful shutdown).
    func runRelay(name: String) async throws {
        var configuration = RelayConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.messageRetention = retentionDays * 86400
        if let tlsCert, let tlsKey {
            do {
                configuration.tls = try RelayTLS.configuration(certificatePath: tlsCert, privateKeyPath: tlsKey)
            } catch {
                throw ValidationError("The TLS certificate \(tlsCert) or key \(tlsKey) could not be read as PEM: \(error)")
            }
        }
        let scheme = configuration.tls == nil ? "http" : "https"
        var logger = Logger(label: "isnad.\(name)")
        logger.logLevel = .info
        if let url = postgres ?? ProcessInfo.processInfo.environment["ISNAD_POSTGRES_URL"] {
            let store: PostgresRelayStore
            do {
                store = try PostgresRelayStore(url: url)
            } catch {
                throw ValidationError("The PostgreSQL URL could not be used: \(error)")
            }
            var app = try Relay.makeApplication(configuration: configuration, store: store, logger: logger)
            app.addServices(store)
            app.beforeServerStarts { try await store.migrate() }
            print("isnad \(name): storage PostgreSQL; listening on \(scheme)://\(host):\(port)")
            try await app.runService()
        } else {
            let folder = dataFolder
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw ValidationError("The data folder \(folder.path) could not be created: \(error.localizedDescription)")
            }
            let store = try SQLiteRelayStore(directory: folder)
            let app = try Relay.makeApplication(configuration: configuration, store: store, logger: logger)
            print("isnad \(name): data in \(folder.path); listening on \(scheme)://\(host):\(port)")
            try await app.runService()
        }
    }
}

/// `isnad relay`: the store-and-forward relay alone.
struct RelayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relay",
        abstract: "Run a relay: delivers MLS ciphertext between devices; sees no plaintext, keeps no sender or address."
    )

    @OptionGroup var options: ServerOptions

    func run() async throws { try await options.runRelay(name: "relay") }
}

/// `isnad serve`: the main job. Today the relay; the observatory joins it on the same port.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run Isnad's server: the relay (and, once built, the observatory) in one process with one data folder."
    )

    @OptionGroup var options: ServerOptions

    func run() async throws { try await options.runRelay(name: "serve") }
}
