/// The log entry of a published tally snapshot: a fixed prefix, then the snapshot's 32-byte hash.
///
/// A report commitment is exactly 32 bytes; a snapshot entry is longer and starts with
/// ``prefix``, so no log reader can mistake one for the other (docs/observatory.md, "Publication").
public enum SnapshotLogEntry {
    /// `isnad tally snapshot entry v1` and a zero byte.
    public static let prefix: [UInt8] = Array("isnad tally snapshot entry v1".utf8) + [0]

    /// The entry committing to a snapshot hash.
    public static func entry(hash: [UInt8]) -> [UInt8] { prefix + hash }

    /// The snapshot hash in a log entry, or `nil` if the entry is not a snapshot's.
    public static func hash(in entry: [UInt8]) -> [UInt8]? {
        guard entry.count == prefix.count + 32, entry.starts(with: prefix) else { return nil }
        return Array(entry[prefix.count...])
    }
}
