/// A tlog-tiles entry bundle: the log entries behind one level-0 tile, each as a big-endian
/// uint16 length followed by the entry bytes (c2sp.org/tlog-tiles, Log entries).
public struct EntryBundle: Hashable, Sendable {
    /// The largest entry a bundle can carry (uint16 length prefix).
    public static let maxEntrySize = Int(UInt16.max)

    /// The entries, in log order.
    public let entries: [[UInt8]]

    /// Creates a bundle from entries.
    /// - Parameter entries: 1 to 256 entries of at most 65,535 bytes each.
    /// - Throws: ``TransparencyError/Code/malformedTile`` if an entry is too large or the count is not 1...256.
    public init(entries: [[UInt8]]) throws(TransparencyError) {
        guard (1...Tile.maxWidth).contains(entries.count) else {
            throw TransparencyError(
                .malformedTile, kind: .misuse, "an entry bundle holds 1 to 256 entries, not \(entries.count)",
                specRule: "c2sp.org/tlog-tiles, Log entries")
        }
        guard entries.allSatisfy({ $0.count <= EntryBundle.maxEntrySize }) else {
            throw TransparencyError(
                .malformedTile, kind: .misuse, "entries in a bundle must be at most 65,535 bytes",
                specRule: "c2sp.org/tlog-tiles, Log entries")
        }
        self.entries = entries
    }

    /// Decodes bundle bytes, strictly: every byte must belong to an entry.
    /// - Parameters:
    ///   - data: the fetched bundle body.
    ///   - width: the expected number of entries (the matching level-0 tile's width), if known.
    /// - Throws: ``TransparencyError/Code/malformedTile`` on truncation or a wrong entry count.
    public init(decoding data: [UInt8], width: Int? = nil) throws(TransparencyError) {
        var entries: [[UInt8]] = []
        var offset = 0
        while offset < data.count {
            guard data.count - offset >= 2 else { throw Self.malformed("the bundle ends inside a length prefix") }
            let length = Int(data[offset]) << 8 | Int(data[offset + 1])
            offset += 2
            guard data.count - offset >= length else { throw Self.malformed("the bundle ends inside an entry") }
            entries.append(Array(data[offset..<(offset + length)]))
            offset += length
            guard entries.count <= Tile.maxWidth else { throw Self.malformed("the bundle has more than 256 entries") }
        }
        guard !entries.isEmpty else { throw Self.malformed("the bundle is empty; empty bundles are never served") }
        if let width, entries.count != width {
            throw Self.malformed("the bundle has \(entries.count) entries; its tile has width \(width)")
        }
        self.entries = entries
    }

    /// The bundle bytes: each entry as uint16 big-endian length || entry.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(entries.reduce(0) { $0 + 2 + $1.count })
        for entry in entries {
            out.append(UInt8(entry.count >> 8))
            out.append(UInt8(entry.count & 0xff))
            out.append(contentsOf: entry)
        }
        return out
    }

    /// The RFC 9162 §2.1.1 leaf hashes of the entries, which must equal the level-0 tile's hashes.
    public func leafHashes() -> [[UInt8]] { entries.map(MerkleTreeHash.leafHash) }

    private static func malformed(_ message: String) -> TransparencyError {
        TransparencyError(.malformedTile, message, specRule: "c2sp.org/tlog-tiles, Log entries")
    }
}
