import IsnadWire

/// One snapshot as an entry of the feed: what the feed needs, without the figures.
public struct SnapshotFeedEntry: Hashable, Sendable {
    public let header: SnapshotHeader
    public let figureCount: Int
    /// "At least" totals per outcome over all figures; outcomes without figures absent.
    public let totals: [Outcome: UInt64]

    /// Summarises a snapshot.
    public init(_ snapshot: TallySnapshot) {
        header = SnapshotHeader(snapshot)
        figureCount = snapshot.figures.count
        var sums: [Outcome: UInt64] = [:]
        for figure in snapshot.figures { sums[figure.outcome, default: 0] += UInt64(figure.atLeast) }
        totals = sums
    }
}

/// An Atom feed (RFC 4287) of published snapshots, newest first, so readers and journalists'
/// tools learn of each publication (docs/dedup.md, "Exports").
///
/// Each entry: `id` and `link rel="alternate"` = `{base}/snapshots/{hash}`, `title` "Snapshot N",
/// `published`/`updated` = the publication time, `summary` with the totals and the hash, and
/// `link rel="related"` to the CSV, HXL and JSON exports.
public struct AtomFeedExporter: Sendable {
    /// The observatory's public base URL, e.g. `https://observatory.example` (no trailing slash).
    public var baseURL: String
    /// The feed's title and author (the observatory's name).
    public var title: String
    public var author: String

    /// Creates an exporter.
    public init(baseURL: String, title: String, author: String) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.title = title
        self.author = author
    }

    /// Writes the feed; `updated` is the newest entry's time (or `now` for an empty feed, passed in).
    public func export<S: ExportSink>(_ entries: some Sequence<SnapshotFeedEntry>, now: Int64, to sink: inout S) throws {
        var iterator = entries.makeIterator()
        let first = iterator.next()
        let x = ExportText.xml
        try sink.write(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
                + "  <id>\(x(baseURL + "/snapshots.atom"))</id>\n  <title>\(x(title))</title>\n"
                + "  <updated>\(ExportText.timestamp(first?.header.publishedAt ?? now))</updated>\n"
                + "  <author><name>\(x(author))</name></author>\n"
                + "  <link rel=\"self\" type=\"application/atom+xml\" href=\"\(x(baseURL + "/snapshots.atom"))\"/>\n")
        if let first { try sink.write(entry(first)) }
        while let next = iterator.next() { try sink.write(entry(next)) }
        try sink.write("</feed>\n")
    }

    func entry(_ e: SnapshotFeedEntry) -> String {
        let x = ExportText.xml
        let page = baseURL + "/snapshots/" + e.header.hashHex
        let time = ExportText.timestamp(e.header.publishedAt)
        let totals = Tally.severity.compactMap { o in e.totals[o].map { "at least \($0) \(o.rawValue)" } }.joined(separator: ", ")
        let summary = "\(e.figureCount) figures" + (totals.isEmpty ? "" : ": " + totals) + ". SHA-256 \(e.header.hashHex)"
            + (e.header.previousHashHex.map { ", follows \($0)" } ?? "") + "."
        var links = "    <link rel=\"alternate\" type=\"text/html\" href=\"\(x(page))\"/>\n"
        for (type, suffix) in [("text/csv", ".csv"), ("text/csv", ".hxl.csv"), ("application/json", ".json")] {
            links += "    <link rel=\"related\" type=\"\(type)\" href=\"\(x(page + suffix))\"/>\n"
        }
        return "  <entry>\n    <id>\(x(page))</id>\n    <title>Snapshot \(e.header.sequence)</title>\n"
            + "    <published>\(time)</published>\n    <updated>\(time)</updated>\n" + links
            + "    <summary type=\"text\">\(x(summary))</summary>\n  </entry>\n"
    }
}
