import ArgumentParser
import Foundation
import Hummingbird
import IsnadObservatory
import IsnadStore
import IsnadStorePostgres
import IsnadStoreSQLite
import Logging
import ServiceLifecycle

/// Options of the observatory, beside the server options.
struct ObservatoryOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The log's origin for keys created on first start, e.g. example.org/observatory (default isnad.local/observatory/<key hash>).", valueName: "name"))
    var origin: String?

    @Option(help: ArgumentHelp("Seconds between log checkpoints, at least (default 1).", valueName: "seconds"))
    var checkpointInterval: Double = 1

    func validate() throws {
        guard checkpointInterval > 0, checkpointInterval <= 3600 else { throw ValidationError("The checkpoint interval must be between 0 and 3600 seconds.") }
    }

    /// The observatory's store, keys and background service.
    struct Mounted {
        let observatory: Observatory
        let store: any ObservatoryStore
        let interval: Duration

        func addServices<Responder>(to app: inout Application<Responder>) {
            if let postgres = store as? PostgresObservatoryStore {
                app.addServices(postgres)
                app.beforeServerStarts { try await postgres.migrate() }
            }
            app.addServices(ObservatoryService(observatory: observatory, interval: interval))
        }

        /// Closes the store if it is SQLite's (a pool of PostgreSQL connections is a service, shut down with the app).
        func close() throws {
            try (store as? SQLiteObservatoryStore)?.close()
        }
    }

    /// Opens the store (SQLite in `folder`, or PostgreSQL) and the keys (always in `folder`).
    func makeObservatory(folder: URL, postgres: String?, logger: Logger) throws -> Mounted {
        let keys: ObservatoryKeys
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            keys = try ObservatoryKeys.loadOrCreate(in: folder, origin: origin)
        } catch let error as ObservatoryError {
            throw ValidationError(error.message)
        } catch {
            throw ValidationError("The data folder \(folder.path) could not be created: \(error.localizedDescription)")
        }
        let store: any ObservatoryStore
        do {
            store = try postgres.map { try PostgresObservatoryStore(url: $0) } ?? SQLiteObservatoryStore(directory: folder)
        } catch {
            throw ValidationError("The observatory's storage could not be opened: \(error)")
        }
        let observatory = Observatory(store: store, keys: keys, logger: logger)
        return Mounted(observatory: observatory, store: store, interval: .milliseconds(Int64(checkpointInterval * 1000)))
    }
}

/// `isnad observatory`: run an observatory alone, print its keys, audit its log.
struct ObservatoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "observatory",
        abstract: "Run and inspect an observatory: intake of sealed reports and the transparency log of their commitments.",
        subcommands: [
            ObservatoryServe.self, ObservatoryKeysCommand.self, ObservatoryAudit.self, ObservatoryStaff.self, ObservatoryReview.self,
            ObservatoryPublish.self,
        ]
    )
}

/// `isnad observatory serve`: the observatory alone on its port.
struct ObservatoryServe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the observatory alone: /observatory/… and its log at /log/… (no relay routes).")

    @OptionGroup var options: ServerOptions
    @OptionGroup var observatory: ObservatoryOptions

    func run() async throws {
        let settings = try options.settings()
        guard settings.tlsCert == nil else {
            throw ValidationError("TLS is served by `isnad serve`; run the observatory there, or behind a TLS proxy.")
        }
        let host = settings.host ?? "127.0.0.1"
        let port = settings.port ?? 7420
        var logger = Logger(label: "isnad.observatory")
        logger.logLevel = .info
        let folder = options.dataFolder(settings, defaultName: "observatory")
        let mounted = try observatory.makeObservatory(folder: folder, postgres: settings.postgres, logger: logger)
        let router = Router(context: BasicRequestContext.self)
        router.get("healthz") { _, _ in Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: .init(string: #"{"status":"ok"}"#))) }
        mounted.observatory.register(on: router)
        var app = Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: nil), logger: logger)
        mounted.addServices(to: &app)
        print("isnad observatory: \(settings.postgres == nil ? "data in \(folder.path)" : "storage PostgreSQL, keys in \(folder.path)"); listening on http://\(host):\(port)")
        defer { ServerOptions.close(name: "observatory", folder: folder) { try mounted.close() } }
        try await app.runService()
    }
}

/// Where an offline observatory command finds the data folder and the database.
struct ObservatoryDataOptions: ParsableArguments {
    @Option(help: "The observatory's data folder (env ISNAD_DATA; default $XDG_DATA_HOME/isnad/observatory; for `isnad serve`, its data folder).")
    var data: String?

    @Option(help: "The observatory's PostgreSQL database, if it uses one (env ISNAD_POSTGRES_URL).")
    var postgres: String?

    var folder: URL {
        (data ?? ProcessInfo.processInfo.environment["ISNAD_DATA"]).map { URL(fileURLWithPath: $0) }
            ?? ServerOptions.defaultDataFolder("observatory")
    }

    var postgresURL: String? { postgres ?? ProcessInfo.processInfo.environment["ISNAD_POSTGRES_URL"] }

    /// The keys in the data folder.
    func keys(create: Bool) throws -> ObservatoryKeys {
        let url = folder.appendingPathComponent(ObservatoryKeys.fileName)
        do {
            if create {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                return try ObservatoryKeys.loadOrCreate(in: folder)
            }
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw CommandFailure("There is no observatory in \(folder.path): no \(ObservatoryKeys.fileName).")
            }
            return try ObservatoryKeys.load(from: url)
        } catch let error as ObservatoryError {
            throw CommandFailure(error.message)
        }
    }
}

/// `isnad observatory keys`: what reporters and verifiers need.
struct ObservatoryKeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Print the observatory's HPKE public key and its log's verifier key (signed-note format); creates them if the folder has none.")

    @OptionGroup var data: ObservatoryDataOptions

    @Flag(help: "Print JSON: {origin, sealing_key, sealing_key_id, log_verifier_key}.")
    var json = false

    func run() async throws {
        let keys = try data.keys(create: true)
        let sealing = keys.sealingKey.publicKey.rawRepresentation.base64EncodedString()
        let keyID = keys.publicKeys.sealingKeyID.bytes.map { String(format: "%02x", $0) }.joined()
        if json {
            let body: [String: String] = [
                "origin": keys.origin, "sealing_key": sealing, "sealing_key_id": keyID, "log_verifier_key": keys.logVerifier.verifierKey,
            ]
            let data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("origin:           \(keys.origin)")
            print("HPKE public key:  \(sealing)  (X25519, base64; DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20Poly1305)")
            print("sealing key ID:   \(keyID)")
            print("log verifier key: \(keys.logVerifier.verifierKey)")
        }
    }
}

/// `isnad observatory audit`: re-derive the log from storage and check every stored report.
struct ObservatoryAudit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Re-derive the whole log from storage; report every stored report whose commitment no longer matches its log entry. Exits 1 on any finding.")

    @OptionGroup var data: ObservatoryDataOptions

    @Flag(help: "Print JSON: {log_size, reports_checked, findings: [{kind, index}]}.")
    var json = false

    func run() async throws {
        let keys = try data.keys(create: false)
        let result: LogAudit.Result
        let showProgress = isatty(2) != 0 && !json
        let progress: (UInt64, UInt64) -> Void = { done, total in
            if showProgress { FileHandle.standardError.write(Data("\rchecked \(done) of \(total) entries".utf8)) }
        }
        if let url = data.postgresURL {
            let store: PostgresObservatoryStore
            do {
                store = try PostgresObservatoryStore(url: url)
            } catch {
                throw ValidationError("The PostgreSQL URL could not be used: \(error)")
            }
            result = try await withThrowingTaskGroup(of: LogAudit.Result?.self) { group in
                group.addTask { try await store.run(); return nil }
                defer { group.cancelAll() }
                try await store.migrate()
                return try await LogAudit.run(store: store, verifier: keys.logVerifier, progress: progress)
            }
        } else {
            guard FileManager.default.fileExists(atPath: data.folder.appendingPathComponent(SQLiteObservatoryStore.fileName).path) else {
                throw CommandFailure("There is no observatory database in \(data.folder.path).")
            }
            let store = try SQLiteObservatoryStore(directory: data.folder)
            result = try await LogAudit.run(store: store, verifier: keys.logVerifier, progress: progress)
        }
        if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
        if json {
            let body: [String: Any] = [
                "log_size": result.logSize, "reports_checked": result.reportsChecked,
                "findings": result.findings.map { finding -> [String: Any] in
                    var entry: [String: Any] = ["kind": finding.kind.rawValue]
                    if let index = finding.index { entry["index"] = index }
                    return entry
                },
            ]
            print(String(decoding: try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]), as: UTF8.self))
        } else {
            print("log entries: \(result.logSize); reports checked: \(result.reportsChecked); findings: \(result.findings.count)")
            for finding in result.findings { print(finding.description) }
        }
        if !result.findings.isEmpty { throw ExitCode(1) }
    }
}
