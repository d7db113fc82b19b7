import Crypto
import Foundation
import IsnadStore
import Logging

/// How identifiers appear in the relay's debug logs: as a keyed hash, never as themselves.
///
/// HMAC-SHA256 under a key drawn when the relay starts, cut to 8 bytes (16 hex digits): enough to
/// follow one device or group through one process's log, useless to look up or brute-force a
/// raw ID (UUIDs, group IDs) from it, and unlinkable across restarts. IP addresses are never
/// logged in any form.
struct LogRedaction: Sendable {
    private let key = SymmetricKey(size: .bits256)

    /// The keyed hash of some identifier bytes, for a log's metadata.
    func hash(_ bytes: Data) -> Logger.MetadataValue {
        let mac = HMAC<SHA256>.authenticationCode(for: bytes, using: key)
        return .string(mac.prefix(8).map { String(format: "%02x", $0) }.joined())
    }

    func hash(_ device: DeviceID) -> Logger.MetadataValue { hash(device.uuid.bytes) }
    func hash(_ message: MessageID) -> Logger.MetadataValue { hash(message.uuid.bytes) }
    func hash(_ group: GroupID) -> Logger.MetadataValue { hash(group.bytes) }
    func hash(_ attachment: AttachmentID) -> Logger.MetadataValue { hash(attachment.bytes) }

    /// The logger handed to libraries (Hummingbird, postgres-nio) whose own messages may carry an
    /// address (the listening socket, the database host) or SQL: warnings and errors only.
    ///
    /// Its metadata is rendered only when a message is logged (``DeferredMetadataLogHandler``).
    static func frameworkLogger(_ logger: Logger) -> Logger {
        var quiet = logger
        quiet.handler = DeferredMetadataLogHandler(base: logger.handler)
        quiet.logLevel = max(logger.logLevel, .warning)
        return quiet
    }
}

/// Keeps metadata set on it as given and hands it to `base` only with a message that is logged.
///
/// Hummingbird sets a request ID on its logger for every request. swift-log's `StreamLogHandler`
/// renders all of its metadata to text on every such set (about 1.5% of the relay's CPU per
/// message in issue 4's profile), for messages that are almost never logged: Hummingbird's
/// logger passes only warnings and errors.
struct DeferredMetadataLogHandler: LogHandler {
    var base: any LogHandler
    var metadata: Logger.Metadata = [:]

    var logLevel: Logger.Level {
        get { base.logLevel }
        set { base.logLevel = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { base.metadataProvider }
        set { base.metadataProvider = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var event = event
        if !metadata.isEmpty {
            event.metadata = metadata.merging(event.metadata ?? [:]) { _, explicit in explicit }
        }
        base.log(event: event)
    }
}
