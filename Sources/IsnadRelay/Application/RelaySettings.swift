import Foundation
import Logging

/// What an operator sets for `isnad relay` / `isnad serve`, from one source: flags, the
/// environment or a configuration file. A `nil` field is left to the next source.
///
/// Precedence is flags > environment > file > defaults:
/// ```swift
/// let settings = flags.overriding(try RelaySettings(environment: env)).overriding(try RelaySettings(json: file))
/// ```
public struct RelaySettings: Sendable, Equatable {
    /// The address to listen on (file `host`, env `ISNAD_HOST`).
    public var host: String?
    /// The TCP port (file `port`, env `ISNAD_PORT`).
    public var port: Int?
    /// The SQLite data folder (file `data`, env `ISNAD_DATA`).
    public var data: String?
    /// A PostgreSQL URL, used instead of SQLite (file `postgres`, env `ISNAD_POSTGRES_URL`).
    public var postgres: String?
    /// Days an undelivered message is kept (file `retention_days`, env `ISNAD_RETENTION_DAYS`).
    public var retentionDays: Double?
    /// A PEM certificate chain for TLS (file `tls_cert`, env `ISNAD_TLS_CERT`).
    public var tlsCert: String?
    /// The PEM private key of `tlsCert` (file `tls_key`, env `ISNAD_TLS_KEY`).
    public var tlsKey: String?
    /// The largest attachment in bytes (file `max_attachment_size`, env `ISNAD_MAX_ATTACHMENT_SIZE`; default 100 MiB).
    public var maxAttachmentSize: Int64?
    /// Requests per remote address (file `address_rate_limit`, env `ISNAD_ADDRESS_RATE_LIMIT`; default 100:500).
    public var addressRateLimit: RateLimitSetting?
    /// Requests per authenticated device (file `device_rate_limit`, env `ISNAD_DEVICE_RATE_LIMIT`; default 20:200).
    public var deviceRateLimit: RateLimitSetting?
    /// Requests per account, all its devices together (file `identity_rate_limit`, env `ISNAD_IDENTITY_RATE_LIMIT`; default 40:400).
    public var identityRateLimit: RateLimitSetting?
    /// Seconds a connection may stay silent, and may take to send a request's head, before it is
    /// closed (file `idle_timeout`, env `ISNAD_IDLE_TIMEOUT`; default 60).
    public var idleTimeout: Double?
    /// Seconds a connection may take none of what the relay sends before it is closed (file
    /// `write_timeout`, env `ISNAD_WRITE_TIMEOUT`; default 60).
    public var writeTimeout: Double?
    /// The lowest level logged (file `log_level`, env `ISNAD_LOG_LEVEL`; default info). The relay
    /// logs nothing at info; debug adds events with keyed hashes of IDs, never an ID or address.
    public var logLevel: Logger.Level?
    /// The most messages one device's mailbox keeps; beyond it the oldest are dropped (file
    /// `max_queued_messages`, env `ISNAD_MAX_QUEUED_MESSAGES`; default 50,000).
    public var maxQueuedMessages: Int?

    /// The keys a configuration file may hold.
    public static let fileKeys = [
        "host", "port", "data", "postgres", "retention_days", "tls_cert", "tls_key", "max_attachment_size",
        "address_rate_limit", "device_rate_limit", "idle_timeout", "log_level", "max_queued_messages", "identity_rate_limit",
        "write_timeout",
    ]

    /// Settings with nothing set.
    public init(host: String? = nil, port: Int? = nil, data: String? = nil, postgres: String? = nil,
                retentionDays: Double? = nil, tlsCert: String? = nil, tlsKey: String? = nil, maxAttachmentSize: Int64? = nil,
                addressRateLimit: RateLimitSetting? = nil, deviceRateLimit: RateLimitSetting? = nil, idleTimeout: Double? = nil,
                logLevel: Logger.Level? = nil, maxQueuedMessages: Int? = nil, identityRateLimit: RateLimitSetting? = nil,
                writeTimeout: Double? = nil) {
        self.host = host
        self.port = port
        self.data = data
        self.postgres = postgres
        self.retentionDays = retentionDays
        self.tlsCert = tlsCert
        self.tlsKey = tlsKey
        self.maxAttachmentSize = maxAttachmentSize
        self.addressRateLimit = addressRateLimit
        self.deviceRateLimit = deviceRateLimit
        self.idleTimeout = idleTimeout
        self.logLevel = logLevel
        self.maxQueuedMessages = maxQueuedMessages
        self.identityRateLimit = identityRateLimit
        self.writeTimeout = writeTimeout
    }

    /// Reads a log level by its swift-log name.
    /// - Parameter source: How a problem names where the text came from, e.g. "--log-level".
    /// - Throws: ``RelayError`` (`invalid-configuration`) naming `source`, for any other text.
    public static func logLevel(_ text: String, source: String) throws -> Logger.Level {
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            let names = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw RelayError(.invalidConfiguration, "\(source) must be one of \(names), not “\(text)”.")
        }
        return level
    }

    /// Reads a number.
    /// - Parameter source: How a problem names where the text came from, e.g. "--port".
    /// - Throws: ``RelayError`` (`invalid-configuration`) naming `source`, for text that is not a `T`.
    public static func number<T: LosslessStringConvertible>(_ text: String, source: String, as: T.Type = T.self) throws -> T {
        guard let value = T(text) else { throw RelayError(.invalidConfiguration, "\(source) must be a number, not “\(text)”.") }
        return value
    }

    /// The settings named by `ISNAD_*` variables.
    /// - Throws: ``RelayError`` (`invalid-configuration`) naming a variable that is not a number
    ///   where one is needed, or not a ``RateLimitSetting``.
    public init(environment: [String: String]) throws {
        func number<T: LosslessStringConvertible>(_ name: String, as: T.Type) throws -> T? {
            try environment[name].map { try Self.number($0, source: name, as: T.self) }
        }
        self.init(
            host: environment["ISNAD_HOST"], port: try number("ISNAD_PORT", as: Int.self), data: environment["ISNAD_DATA"],
            postgres: environment["ISNAD_POSTGRES_URL"], retentionDays: try number("ISNAD_RETENTION_DAYS", as: Double.self),
            tlsCert: environment["ISNAD_TLS_CERT"], tlsKey: environment["ISNAD_TLS_KEY"],
            maxAttachmentSize: try number("ISNAD_MAX_ATTACHMENT_SIZE", as: Int64.self),
            addressRateLimit: try environment["ISNAD_ADDRESS_RATE_LIMIT"].map { try RateLimitSetting($0, source: "ISNAD_ADDRESS_RATE_LIMIT") },
            deviceRateLimit: try environment["ISNAD_DEVICE_RATE_LIMIT"].map { try RateLimitSetting($0, source: "ISNAD_DEVICE_RATE_LIMIT") },
            idleTimeout: try number("ISNAD_IDLE_TIMEOUT", as: Double.self),
            logLevel: try environment["ISNAD_LOG_LEVEL"].map { try Self.logLevel($0, source: "ISNAD_LOG_LEVEL") },
            maxQueuedMessages: try number("ISNAD_MAX_QUEUED_MESSAGES", as: Int.self),
            identityRateLimit: try environment["ISNAD_IDENTITY_RATE_LIMIT"].map { try RateLimitSetting($0, source: "ISNAD_IDENTITY_RATE_LIMIT") },
            writeTimeout: try number("ISNAD_WRITE_TIMEOUT", as: Double.self))
    }

    /// The settings of a JSON configuration file: one object with any of ``fileKeys``.
    /// - Throws: ``RelayError`` (`invalid-configuration`) for bytes that are not a JSON object, an
    ///   unknown key (named, so a typo is not silently ignored) or a value of the wrong type.
    public init(json: Data) throws {
        guard let object = (try? JSONSerialization.jsonObject(with: json)) as? [String: Any] else {
            throw RelayError(.invalidConfiguration, "The configuration file is not a JSON object.")
        }
        if let unknown = object.keys.sorted().first(where: { !Self.fileKeys.contains($0) }) {
            throw RelayError(.invalidConfiguration,
                             "The configuration file has an unknown key “\(unknown)”; the keys are \(Self.fileKeys.joined(separator: ", ")).")
        }
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: json)
        } catch let error as DecodingError {
            let context: DecodingError.Context?
            switch error {
            case .typeMismatch(_, let found), .valueNotFound(_, let found), .dataCorrupted(let found): context = found
            default: context = nil
            }
            let key = context?.codingPath.last?.stringValue ?? "?"
            throw RelayError(.invalidConfiguration, "“\(key)” in the configuration file has the wrong type.", underlying: error)
        }
        func rateLimit(_ text: String?, key: String) throws -> RateLimitSetting? {
            try text.map { try RateLimitSetting($0, source: "“\(key)” in the configuration file") }
        }
        self.init(host: file.host, port: file.port, data: file.data, postgres: file.postgres,
                  retentionDays: file.retentionDays, tlsCert: file.tlsCert, tlsKey: file.tlsKey, maxAttachmentSize: file.maxAttachmentSize,
                  addressRateLimit: try rateLimit(file.addressRateLimit, key: "address_rate_limit"),
                  deviceRateLimit: try rateLimit(file.deviceRateLimit, key: "device_rate_limit"), idleTimeout: file.idleTimeout,
                  logLevel: try file.logLevel.map { try Self.logLevel($0, source: "“log_level” in the configuration file") },
                  maxQueuedMessages: file.maxQueuedMessages,
                  identityRateLimit: try rateLimit(file.identityRateLimit, key: "identity_rate_limit"), writeTimeout: file.writeTimeout)
    }

    /// The file's shape; JSONDecoder refuses `true` or `7420.5` for a port, and a number for a path.
    private struct File: Decodable {
        var host: String?
        var port: Int?
        var data: String?
        var postgres: String?
        var retentionDays: Double?
        var tlsCert: String?
        var tlsKey: String?
        var maxAttachmentSize: Int64?
        /// `off` or `REQUESTS_PER_SECOND:BURST`, written as in a flag.
        var addressRateLimit: String?
        var deviceRateLimit: String?
        var idleTimeout: Double?
        var logLevel: String?
        var maxQueuedMessages: Int?
        var identityRateLimit: String?
        var writeTimeout: Double?
        enum CodingKeys: String, CodingKey {
            case host, port, data, postgres, retentionDays = "retention_days", tlsCert = "tls_cert", tlsKey = "tls_key"
            case maxAttachmentSize = "max_attachment_size", addressRateLimit = "address_rate_limit", deviceRateLimit = "device_rate_limit"
            case idleTimeout = "idle_timeout", logLevel = "log_level", maxQueuedMessages = "max_queued_messages"
            case identityRateLimit = "identity_rate_limit", writeTimeout = "write_timeout"
        }
    }

    /// These settings where set, the `lower` source's elsewhere.
    public func overriding(_ lower: RelaySettings) -> RelaySettings {
        RelaySettings(
            host: host ?? lower.host, port: port ?? lower.port, data: data ?? lower.data, postgres: postgres ?? lower.postgres,
            retentionDays: retentionDays ?? lower.retentionDays, tlsCert: tlsCert ?? lower.tlsCert, tlsKey: tlsKey ?? lower.tlsKey,
            maxAttachmentSize: maxAttachmentSize ?? lower.maxAttachmentSize, addressRateLimit: addressRateLimit ?? lower.addressRateLimit,
            deviceRateLimit: deviceRateLimit ?? lower.deviceRateLimit, idleTimeout: idleTimeout ?? lower.idleTimeout,
            logLevel: logLevel ?? lower.logLevel, maxQueuedMessages: maxQueuedMessages ?? lower.maxQueuedMessages,
            identityRateLimit: identityRateLimit ?? lower.identityRateLimit, writeTimeout: writeTimeout ?? lower.writeTimeout)
    }
}
