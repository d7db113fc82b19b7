import ArgumentParser
import Foundation
import Hummingbird
import IsnadObservatory
import IsnadRelay
import IsnadStore
import IsnadStorePostgres
import IsnadStoreSQLite
import Logging

/// Options shared by `isnad relay` and `isnad serve`: where to listen and where to keep data.
///
/// Each setting comes from the first source that has it: a flag, then the environment, then the
/// `--config` file, then the default.
struct ServerOptions: ParsableArguments {
    @Option(help: "Address to listen on (env ISNAD_HOST; file host; default 127.0.0.1).")
    var host: String?

    // Numbers are read as text and parsed with the other settings, so a bad one is one sentence
    // naming the flag (ArgumentParser's own message adds the usage text).
    @Option(help: ArgumentHelp("Port to listen on (env ISNAD_PORT; file port; default 7420).", valueName: "port"))
    var port: String?

    @Option(help: "Data folder for the embedded SQLite store (env ISNAD_DATA; file data; default $XDG_DATA_HOME/isnad/relay).")
    var data: String?

    @Option(help: "Use this PostgreSQL database instead of SQLite, for several relay processes (env ISNAD_POSTGRES_URL; file postgres).")
    var postgres: String?

    @Option(help: ArgumentHelp("Days an undelivered message is kept (env ISNAD_RETENTION_DAYS; file retention_days; default 30).", valueName: "days"))
    var retentionDays: String?

    @Option(help: ArgumentHelp("The largest attachment in bytes (env ISNAD_MAX_ATTACHMENT_SIZE; file max_attachment_size; default 104857600, 100 MiB).", valueName: "bytes"))
    var maxAttachmentSize: String?

    @Option(help: ArgumentHelp(
        "Requests per remote address: off, or REQUESTS_PER_SECOND:BURST (env ISNAD_ADDRESS_RATE_LIMIT; file address_rate_limit; default 100:500).",
        valueName: "rate"))
    var addressRateLimit: String?

    @Option(help: ArgumentHelp(
        "Requests per signed-in device: off, or REQUESTS_PER_SECOND:BURST (env ISNAD_DEVICE_RATE_LIMIT; file device_rate_limit; default 20:200).",
        valueName: "rate"))
    var deviceRateLimit: String?

    @Option(help: ArgumentHelp(
        "Requests per account, all its devices together: off, or REQUESTS_PER_SECOND:BURST (env ISNAD_IDENTITY_RATE_LIMIT; file identity_rate_limit; default 40:400).",
        valueName: "rate"))
    var identityRateLimit: String?

    @Option(help: ArgumentHelp(
        "Seconds a connection may stay silent, or take to send a request's head, before it is closed (env ISNAD_IDLE_TIMEOUT; file idle_timeout; default 60).",
        valueName: "seconds"))
    var idleTimeout: String?

    @Option(help: ArgumentHelp(
        "Seconds a connection may take none of what the server sends (a download or push it stopped reading) before it is closed (env ISNAD_WRITE_TIMEOUT; file write_timeout; default 60).",
        valueName: "seconds"))
    var writeTimeout: String?

    @Option(help: ArgumentHelp(
        "The lowest level logged: trace, debug, info, notice, warning, error or critical; debug adds events with keyed hashes of IDs, never an ID or address (env ISNAD_LOG_LEVEL; file log_level; default info).",
        valueName: "level"))
    var logLevel: String?

    @Option(help: ArgumentHelp(
        "The most messages one device's mailbox keeps; storing more drops its oldest (env ISNAD_MAX_QUEUED_MESSAGES; file max_queued_messages; default 50000).",
        valueName: "count"))
    var maxQueuedMessages: String?

    @Option(help: ArgumentHelp("Serve HTTPS with this PEM certificate chain, leaf first; needs --tls-key (env ISNAD_TLS_CERT; file tls_cert).", valueName: "path"))
    var tlsCert: String?

    @Option(help: ArgumentHelp("The PEM private key of --tls-cert (env ISNAD_TLS_KEY; file tls_key).", valueName: "path"))
    var tlsKey: String?

    @Option(help: ArgumentHelp(
        "A JSON configuration file with any of: host, port, data, postgres, retention_days, tls_cert, tls_key, max_attachment_size, address_rate_limit, device_rate_limit, identity_rate_limit, idle_timeout, write_timeout, log_level, max_queued_messages. Flags and the environment take precedence over it.",
        valueName: "path"))
    var config: String?

    /// Flags over the environment over the file.
    /// - Throws: ``CommandFailure``: a bad setting is one sentence on stderr, without the usage text.
    func settings() throws -> RelaySettings {
        do {
            let flags = RelaySettings(
                host: host, port: try port.map { try RelaySettings.number($0, source: "--port") }, data: data, postgres: postgres,
                retentionDays: try retentionDays.map { try RelaySettings.number($0, source: "--retention-days") }, tlsCert: tlsCert, tlsKey: tlsKey,
                maxAttachmentSize: try maxAttachmentSize.map { try RelaySettings.number($0, source: "--max-attachment-size") },
                addressRateLimit: try addressRateLimit.map { try RateLimitSetting($0, source: "--address-rate-limit") },
                deviceRateLimit: try deviceRateLimit.map { try RateLimitSetting($0, source: "--device-rate-limit") },
                idleTimeout: try idleTimeout.map { try RelaySettings.number($0, source: "--idle-timeout") },
                logLevel: try logLevel.map { try RelaySettings.logLevel($0, source: "--log-level") },
                maxQueuedMessages: try maxQueuedMessages.map { try RelaySettings.number($0, source: "--max-queued-messages") },
                identityRateLimit: try identityRateLimit.map { try RateLimitSetting($0, source: "--identity-rate-limit") },
                writeTimeout: try writeTimeout.map { try RelaySettings.number($0, source: "--write-timeout") })
            var file = RelaySettings()
            if let config {
                let bytes: Data
                do {
                    bytes = try Data(contentsOf: URL(fileURLWithPath: config))
                } catch {
                    throw CommandFailure("The configuration file \(config) could not be read: \(error.localizedDescription)")
                }
                file = try RelaySettings(json: bytes)
            }
            return flags.overriding(try RelaySettings(environment: ProcessInfo.processInfo.environment)).overriding(file)
        } catch let error as RelayError {
            throw CommandFailure(error.message)
        }
    }

    func validate() throws {
        let settings = try settings()
        guard (1...65535).contains(settings.port ?? 7420) else { throw CommandFailure("The port must be between 1 and 65535.") }
        guard (settings.retentionDays ?? 30) > 0 else { throw CommandFailure("The retention in days must be positive.") }
        guard (settings.maxAttachmentSize ?? 1) > 0 else { throw CommandFailure("The largest attachment size must be a positive number of bytes.") }
        guard (settings.maxQueuedMessages ?? 1) > 0 else { throw CommandFailure("The most queued messages per device must be a positive number.") }
        for (timeout, name) in [(settings.idleTimeout, "idle"), (settings.writeTimeout, "write")] {
            let seconds = timeout ?? 60
            guard seconds.isFinite, seconds > 0, seconds <= 86400 else {
                throw CommandFailure("The \(name) timeout must be a positive number of seconds, at most 86400 (one day).")
            }
        }
        guard (settings.tlsCert == nil) == (settings.tlsKey == nil) else {
            throw CommandFailure("--tls-cert and --tls-key go together: give both to serve HTTPS, or neither for plain HTTP.")
        }
    }

    func dataFolder(_ settings: RelaySettings, defaultName: String = "relay") -> URL {
        settings.data.map { URL(fileURLWithPath: $0) } ?? Self.defaultDataFolder(defaultName)
    }

    /// `$XDG_DATA_HOME/isnad/NAME`, or `~/.local/share/isnad/NAME`.
    static func defaultDataFolder(_ name: String = "relay") -> URL {
        let base = ProcessInfo.processInfo.environment["XDG_DATA_HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".local/share")
        return base.appendingPathComponent("isnad/\(name)")
    }

    /// Prints `line` once the server listens (after PostgreSQL migrations, so a supervisor that
    /// waits for it, or for `/healthz`, finds the relay ready), at once even into a pipe.
    func announce<Channel>(_ line: String) -> @Sendable (Channel) async -> Void {
        // Unbuffered, unlike print into a pipe.
        { _ in FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
    }

    /// Builds the relay on the chosen store and runs it until SIGINT/SIGTERM (graceful shutdown);
    /// with `observatory`, the observatory shares its port, data folder and database.
    func runRelay(name: String, observatory: ObservatoryOptions? = nil) async throws {
        HeapTuning.apply()
        let settings = try settings()
        let host = settings.host ?? "127.0.0.1"
        let port = settings.port ?? 7420
        var configuration = RelayConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.messageRetention = (settings.retentionDays ?? 30) * 86400
        if let maxAttachmentSize = settings.maxAttachmentSize { configuration.maxAttachmentSize = maxAttachmentSize }
        if let limit = settings.addressRateLimit { configuration.addressRateLimit = limit.rateLimit }
        if let limit = settings.deviceRateLimit { configuration.deviceRateLimit = limit.rateLimit }
        if let limit = settings.identityRateLimit { configuration.identityRateLimit = limit.rateLimit }
        if let idleTimeout = settings.idleTimeout { configuration.idleTimeout = idleTimeout }
        if let writeTimeout = settings.writeTimeout { configuration.writeTimeout = writeTimeout }
        if let maxQueuedMessages = settings.maxQueuedMessages { configuration.maxQueuedMessages = maxQueuedMessages }
        if let tlsCert = settings.tlsCert, let tlsKey = settings.tlsKey {
            do {
                configuration.tls = try RelayTLS.configuration(certificatePath: tlsCert, privateKeyPath: tlsKey)
            } catch {
                throw CommandFailure("The TLS certificate \(tlsCert) or key \(tlsKey) could not be read as PEM: \(error)")
            }
        }
        let scheme = configuration.tls == nil ? "http" : "https"
        var logger = Logger(label: "isnad.\(name)")
        logger.logLevel = settings.logLevel ?? .info
        if let url = settings.postgres {
            let store: PostgresRelayStore
            do {
                store = try PostgresRelayStore(url: url)
            } catch {
                throw CommandFailure("The PostgreSQL URL could not be used: \(error)")
            }
            let mounted = try observatory.map { try $0.makeObservatory(folder: dataFolder(settings), postgres: url, logger: logger) }
            var app = try Relay.makeApplication(
                configuration: configuration, store: store, logger: logger,
                onServerRunning: announce("isnad \(name): storage PostgreSQL; listening on \(scheme)://\(host):\(port)"),
                mount: { router in mounted?.observatory.register(on: router, secureCookies: scheme == "https") })
            app.addServices(store)
            app.beforeServerStarts { try await store.migrate() }
            if let mounted { mounted.addServices(to: &app) }
            try await run(app, host: host, port: port)
        } else {
            let folder = dataFolder(settings)
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw CommandFailure("The data folder \(folder.path) could not be created: \(error.localizedDescription)")
            }
            let store: SQLiteRelayStore
            let upgrade = try? SQLiteRelayStore.needsMigration(directory: folder) ? Self.upgradeBar(name: name, folder: folder) : nil
            var progress: (@Sendable (MigrationProgress) -> Void)?
            if let upgrade { progress = { upgrade.show($0.done, of: $0.total) } }
            do {
                store = try SQLiteRelayStore(directory: folder, migrationProgress: progress)
                upgrade?.finish()
            } catch let error as StoreError {
                upgrade?.finish()
                throw CommandFailure("The data folder \(folder.path) could not be opened: \(error.message)")
            }
            let mounted = try observatory.map { try $0.makeObservatory(folder: folder, postgres: nil, logger: logger) }
            var app = try Relay.makeApplication(
                configuration: configuration, store: store, logger: logger,
                onServerRunning: announce("isnad \(name): data in \(folder.path); listening on \(scheme)://\(host):\(port)"),
                mount: { router in mounted?.observatory.register(on: router, secureCookies: scheme == "https") })
            if let mounted { mounted.addServices(to: &app) }
            // Once the server has stopped (in-flight requests finished), close the databases: the
            // last connection's close checkpoints the log and removes it and its index file.
            defer {
                Self.close(name: name, folder: folder) { try store.close() }
                if let mounted { Self.close(name: name, folder: folder) { try mounted.close() } }
            }
            try await run(app, host: host, port: port)
        }
    }

    /// Runs `close`; a failure is one line on standard error (SQLite recovers the log on the next open).
    static func close(name: String, folder: URL, _ close: () throws -> Void) {
        do {
            try close()
        } catch {
            FileHandle.standardError.write(Data("isnad \(name): a database in \(folder.path) was not closed cleanly (\(error)); it is recovered on the next start\n".utf8))
        }
    }

    /// Says on standard error that an older database is being upgraded, and gives the bar that
    /// shows how far (on a terminal). Each stored row is rewritten twice, so its amounts are half
    /// the migration's units.
    static func upgradeBar(name: String, folder: URL) -> ProgressBar {
        FileHandle.standardError.write(Data("isnad \(name): upgrading the database in \(folder.path); with many stored messages this takes a while (about a minute per million)\n".utf8))
        return ProgressBar(label: "upgrading") { done, total in "\((done / 2).formatted()) of \((total / 2).formatted()) rows" }
    }

    /// Runs the application until SIGINT/SIGTERM; a port in use, a privileged port or a foreign
    /// host is one sentence rather than NIO's `bind(…)` error.
    func run(_ app: some ApplicationProtocol, host: String, port: Int) async throws {
        do {
            try await app.runService()
        } catch {
            guard let sentence = Relay.listenFailure(error, host: host, port: port) else { throw error }
            throw CommandFailure(sentence)
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

/// `isnad serve`: the main job: the relay and the observatory on one port, one data folder.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run Isnad's server: the relay (/v1/…) and the observatory (/observatory/…, its log at /log/…) in one process with one data folder."
    )

    @OptionGroup var options: ServerOptions
    @OptionGroup var observatory: ObservatoryOptions

    func run() async throws { try await options.runRelay(name: "serve", observatory: observatory) }
}
