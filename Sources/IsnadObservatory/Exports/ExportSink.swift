/// Where an export goes, piece by piece: a file, an HTTP response body, a buffer. Exporters write
/// one row (or one element) at a time, so a large snapshot is never rendered into one string.
public protocol ExportSink {
    /// Appends UTF-8 text. An error stops the export and is passed to the exporter's caller.
    mutating func write(_ text: String) throws
}

/// Collects an export in memory: for tests and small exports.
public struct CollectingSink: ExportSink, Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8] = []
    /// How many times ``write(_:)`` was called.
    public private(set) var writes = 0

    /// An empty sink.
    public init() {}

    public mutating func write(_ text: String) throws {
        bytes.append(contentsOf: text.utf8)
        writes += 1
    }

    /// The bytes as text.
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// The snapshot facts every export carries.
public struct SnapshotHeader: Hashable, Sendable {
    public let sequence: UInt64
    public let publishedAt: Int64
    public let hashHex: String
    public let previousHashHex: String?

    /// The header of a snapshot.
    public init(_ snapshot: TallySnapshot) {
        sequence = snapshot.sequence
        publishedAt = snapshot.publishedAt
        hashHex = snapshot.hashHex
        previousHashHex = snapshot.previousHash.map(CommitmentText.hex)
    }
}
