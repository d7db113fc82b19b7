import Foundation
import IsnadWire
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

@testable import IsnadObservatory

@Suite("Exports")
struct ExportTests {
    /// Figures whose text needs every kind of quoting: Arabic, commas (Latin and Arabic), quotes,
    /// newlines, a formula-looking code, XML specials.
    static let awkward = Governorate(key: "k", name: "حلب، \"الشرقية\", <&>\nالقديمة", code: "=HYPERLINK(\"x\")")

    static func snapshot() throws -> TallySnapshot {
        var figures = try TallyBuilder(gazetteer: Fixtures.gazetteer).build(TallyTests.reports()).figures
        figures.append(TallyFigure(
            period: .day(20_413), governorate: awkward, outcome: .killed, atLeast: 12,
            breakdown: TallyBreakdown(values: [nil, nil, 3, nil, 5]), unidentified: 2, independentSources: 1,
            status: .singleSource, reports: [Fixtures.commitment(9)]))
        figures.append(TallyFigure(
            period: .unknown, governorate: .unknown, outcome: .injured, atLeast: 4, breakdown: TallyBreakdown(),
            unidentified: 0, independentSources: 2, status: .corroborated, reports: [Fixtures.commitment(7), Fixtures.commitment(8)]))
        return TallySnapshot(figures: figures, sequence: 3, publishedAt: 1_763_712_000)
    }

    @Test("CSV parses back (RFC 4180 quoting of Arabic text, commas, quotes, newlines) and agrees with the snapshot")
    func csv() throws {
        let snapshot = try Self.snapshot()
        var sink = CollectingSink()
        try TallyCSVExporter.export(snapshot, to: &sink)
        #expect(sink.writes == snapshot.figures.count + 1)  // row by row
        let rows = try CSVReader.parse(sink.text)
        #expect(rows.first == TallyCSVExporter.columns)
        #expect(rows.count == snapshot.figures.count + 1)
        for (row, figure) in zip(rows.dropFirst(), snapshot.figures) {
            let field = Dictionary(uniqueKeysWithValues: zip(TallyCSVExporter.columns, row))
            #expect(row.count == TallyCSVExporter.columns.count)
            #expect(field["date"] == figure.period.text)
            #expect(field["at_least"] == String(figure.atLeast))
            #expect(field["outcome"] == figure.outcome.rawValue)
            #expect(field["soldiers"] == figure.breakdown["soldiers"].map(String.init) ?? "")
            #expect(field["independent_sources"] == String(figure.independentSources))
            #expect(field["status"] == figure.status.rawValue)
            #expect(field["report_commitments"]?.split(separator: " ").count == figure.reports.count)
            #expect(field["snapshot"] == snapshot.hashHex)
        }
        let awkward = try #require(rows.first { $0.contains(Self.awkward.name) })
        #expect(awkward[2] == "'" + (Self.awkward.code ?? ""))  // formula defused, text otherwise intact
    }

    @Test("HXL: a hashtag row under the header; one row per day and governorate for the outcome")
    func hxl() throws {
        let snapshot = try Self.snapshot()
        var sink = CollectingSink()
        try TallyHXLExporter.export(snapshot, outcome: .killed, to: &sink)
        let rows = try CSVReader.parse(sink.text)
        let tags = rows[1]
        #expect(tags.prefix(4) == ["#date", "#adm1+name", "#adm1+code", "#affected+killed"])
        #expect(tags.contains("#affected+killed+f") && tags.contains("#affected+killed+children") && tags.contains("#status"))
        #expect(tags.allSatisfy { $0.hasPrefix("#") && !$0.contains(" ") })
        let killed = snapshot.figures.filter { $0.outcome == .killed }
        #expect(rows.count == 2 + killed.count)
        for (row, figure) in zip(rows.dropFirst(2), killed) {
            let byTag = Dictionary(uniqueKeysWithValues: zip(tags, row))
            #expect(byTag["#affected+killed"] == String(figure.atLeast))
            #expect(byTag["#affected+killed+f"] == figure.breakdown["female"].map(String.init) ?? "")
            #expect(byTag["#affected+killed+soldiers"] == figure.breakdown["soldiers"].map(String.init) ?? "")
            #expect(byTag["#meta+sources"] == String(figure.independentSources))
        }
        #expect(TallyHXLExporter.headers(.disappeared).tags[3] == "#affected+missing")
    }

    struct Document: Decodable {
        struct Snapshot: Decodable {
            let sequence: UInt64
            let published: String
            let hash: String
            let previous_hash: String?
        }
        struct Figure: Decodable {
            struct Place: Decodable {
                let name: String
                let code: String?
            }
            let date: String?
            let governorate: Place
            let outcome: String
            let at_least: UInt32
            let breakdown: [String: UInt32]
            let unidentified: UInt32
            let independent_sources: UInt32
            let status: String
            let reports: [String]
        }
        let format: String
        let version: Int
        let snapshot: Snapshot
        let figures: [Figure]
    }

    @Test("JSON decodes and agrees with the snapshot")
    func json() throws {
        let snapshot = try Self.snapshot()
        var sink = CollectingSink()
        try TallyJSONExporter.export(snapshot, to: &sink)
        let document = try JSONDecoder().decode(Document.self, from: Data(sink.bytes))
        #expect(document.format == "isnad-tallies" && document.version == 1)
        #expect(document.snapshot.hash == snapshot.hashHex)
        #expect(document.snapshot.published == "2025-11-21T08:00:00Z")
        #expect(document.snapshot.previous_hash == nil)
        #expect(document.figures.count == snapshot.figures.count)
        for (decoded, figure) in zip(document.figures, snapshot.figures) {
            #expect(decoded.date == (figure.period == .unknown ? nil : figure.period.text))
            #expect(decoded.governorate.name == figure.governorate.name)
            #expect(decoded.governorate.code == figure.governorate.code)
            #expect(decoded.at_least == figure.atLeast)
            #expect(decoded.unidentified == figure.unidentified)
            #expect(decoded.independent_sources == figure.independentSources)
            #expect(decoded.status == figure.status.rawValue)
            #expect(decoded.reports == figure.reports.map(CommitmentText.hex))
            for (name, value) in zip(TallyBreakdown.fieldNames, figure.breakdown.values) {
                #expect(decoded.breakdown[name] == value)
            }
        }
    }

    /// Collects what XMLParser reports, to check the feed's structure.
    final class FeedReader: NSObject, XMLParserDelegate {
        var elements: [String] = []
        var text: [String: [String]] = [:]
        var links: [String] = []
        private var current = ""
        private var stack: [String] = []

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            elements.append(name)
            stack.append(name)
            current = ""
            if name == "link", let href = attributes["href"] { links.append(href) }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { current += string }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            text[stack.joined(separator: "/"), default: []].append(current)
            stack.removeLast()
            current = ""
        }
    }

    @Test("The Atom feed is well-formed XML with one entry per snapshot and escaped text")
    func atom() throws {
        let first = try Self.snapshot()
        let second = TallySnapshot(figures: first.figures, sequence: 4, publishedAt: 1_763_798_400, previous: first)
        let exporter = AtomFeedExporter(baseURL: "https://observatory.example/", title: "Observatory <Syria> & \"friends\" — مرصد", author: "مرصد")
        var sink = CollectingSink()
        try exporter.export([SnapshotFeedEntry(second), SnapshotFeedEntry(first)], now: 1_763_800_000, to: &sink)

        let parser = XMLParser(data: Data(sink.bytes))
        parser.shouldProcessNamespaces = true
        let reader = FeedReader()
        parser.delegate = reader
        #expect(parser.parse(), "XMLParser: \(String(describing: parser.parserError))")
        #expect(reader.elements.first == "feed")
        #expect(reader.elements.filter { $0 == "entry" }.count == 2)
        #expect(reader.text["feed/title"] == [exporter.title])
        #expect(reader.text["feed/updated"] == ["2025-11-22T08:00:00Z"])
        #expect(reader.text["feed/entry/id"] == [
            "https://observatory.example/snapshots/\(second.hashHex)", "https://observatory.example/snapshots/\(first.hashHex)",
        ])
        #expect(reader.text["feed/entry/title"] == ["Snapshot 4", "Snapshot 3"])
        let killed = first.figures.filter { $0.outcome == .killed }.map { UInt64($0.atLeast) }.reduce(0, +)
        #expect(reader.text["feed/entry/summary"]?.first?.contains("at least \(killed) killed") == true)
        #expect(reader.text["feed/entry/summary"]?.first?.contains("follows \(first.hashHex)") == true)
        #expect(reader.links.contains("https://observatory.example/snapshots/\(first.hashHex).hxl.csv"))
        #expect(ExportText.xml("a\u{0}b\u{1B}") == "a\u{FFFD}b\u{FFFD}")
    }

    struct Refusing: ExportSink {
        var allowed: Int
        struct Full: Error {}
        mutating func write(_ text: String) throws {
            guard allowed > 0 else { throw Full() }
            allowed -= 1
        }
    }

    @Test("A sink's error stops the export and reaches the caller")
    func sinkError() throws {
        let snapshot = try Self.snapshot()
        var sink = Refusing(allowed: 2)
        #expect(throws: Refusing.Full.self) { try TallyCSVExporter.export(snapshot, to: &sink) }
        #expect(sink.allowed == 0)
        var json = Refusing(allowed: 1)
        #expect(throws: Refusing.Full.self) { try TallyJSONExporter.export(snapshot, to: &json) }
    }
}

/// A strict RFC 4180 reader for the tests: quoted fields with doubled quotes, CRLF records;
/// anything else (a stray quote, a bare LF outside quotes) is an error.
enum CSVReader {
    struct Malformed: Error {}

    static func parse(_ text: String) throws -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var scalars = Array(text.unicodeScalars)[...]
        while let c = scalars.popFirst() {
            if quoted {
                if c == "\"" {
                    if scalars.first == "\"" { field.unicodeScalars.append(scalars.removeFirst()) } else { quoted = false }
                } else {
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" {
                guard field.isEmpty else { throw Malformed() }
                quoted = true
            } else if c == "," {
                row.append(field)
                field = ""
            } else if c == "\r" {
                guard scalars.popFirst() == "\n" else { throw Malformed() }
                row.append(field)
                rows.append(row)
                (row, field) = ([], "")
            } else if c == "\n" {
                throw Malformed()
            } else {
                field.unicodeScalars.append(c)
            }
        }
        guard !quoted, row.isEmpty, field.isEmpty else { throw Malformed() }
        return rows
    }
}

@Suite("Export filters")
struct ExportFilterTests {
    @Test("Filters select by dates, governorate in any spelling, outcome and status")
    func select() throws {
        let figures = try ExportTests.snapshot().figures
        func shown(_ query: [(String, String)]) throws -> Int {
            let filter = try TallyFilter(query: query.map { (name: $0.0, value: $0.1) }, gazetteer: Fixtures.gazetteer)
            return figures.filter(filter.matches).count
        }
        #expect(try shown([]) == figures.count)
        #expect(try shown([("from", "2025-11-20"), ("to", "2025-11-20")]) == 1)
        #expect(try shown([("from", "2025-11-21")]) == 1)
        #expect(try shown([("governorate", "حلب")]) == 1)
        #expect(try shown([("governorate", "G02"), ("governorate", "Homs")]) == 1)
        #expect(try shown([("outcome", "injured")]) == 1)
        #expect(try shown([("outcome", "injured"), ("outcome", "killed")]) == 3)
        #expect(try shown([("status", "corroborated")]) == 2)
        #expect(TallyFilter.days(of: .month(year: 2024, month: 2)) == 19_754...19_782)
    }

    @Test("Malformed filters are a typed error naming the parameter", arguments: [
        ("from", "2025-02-30"), ("from", "20-11-2025"), ("to", "2025-11-2x"), ("to", "١٢٣٤-١١-٢٠"), ("outcome", "dead"),
        ("status", "confirmed"), ("governorate", " "), ("sort", "date"),
    ])
    func malformed(_ name: String, _ value: String) {
        #expect {
            try TallyFilter(query: [(name: name, value: value)])
        } throws: { error in
            (error as? AnalysisError)?.code == .invalidFilter && (error as? AnalysisError)?.field == name
        }
    }

    @Test("A repeated single parameter or an empty range is refused")
    func contradictions() {
        #expect(throws: AnalysisError.self) { try TallyFilter(query: [(name: "from", value: "2025-11-01"), (name: "from", value: "2025-11-02")]) }
        #expect(throws: AnalysisError.self) { try TallyFilter(query: [(name: "from", value: "2025-11-02"), (name: "to", value: "2025-11-01")]) }
    }
}
