import IsnadTransparency
import IsnadWire

/// Renders the public dashboard's pages (docs/observatory.md, "Dashboard") from published
/// snapshots: the dashboard of the newest snapshot with its totals, charts and figures, and one
/// page per snapshot with its hash, sequence, log entry, previous hash and, per figure, the
/// commitments of the reports behind it.
public struct DashboardPages: Sendable {
    /// The path the observatory's routes are under, e.g. `/observatory`.
    public var base: String
    /// At most this many figure rows on one page; the exports hold every figure.
    public var maximumRows: Int
    /// Where a snapshot's header (its hash) comes from: a cache in the server.
    public var header: @Sendable (TallySnapshot) -> SnapshotHeader = { SnapshotHeader($0) }
    /// The tree size of the log's latest checkpoint, so that a log link names the entry bundle
    /// as it is served now (a partial bundle `….p/<W>` until 256 entries fill it).
    public var logTreeSize: UInt64?

    /// Creates the renderer.
    public init(base: String = "/observatory", maximumRows: Int = 500) {
        self.base = base
        self.maximumRows = maximumRows
    }

    /// The dashboard: the newest snapshot filtered by `filter`, and the list of every snapshot.
    /// - Parameter snapshots: every published snapshot, newest first.
    public func dashboard(_ snapshots: [PublishedSnapshot], filter: TallyFilter, language: DashboardLanguage) -> String {
        var context = common(language, title: language.text("title"), switchQuery: "")
        if let latest = snapshots.first {
            let figures = latest.snapshot.figures.enumerated().filter { filter.matches($0.element) }
            var facts = self.facts(latest, language: language)
            let chartOutcome = Tally.severity.first { outcome in figures.contains { $0.element.outcome == outcome } }
            facts["totals"] = Tally.severity.compactMap { outcome -> [String: Any]? in
                let matching = figures.filter { $0.element.outcome == outcome }
                guard !matching.isEmpty else { return nil }
                return ["code": outcome.rawValue, "label": language.outcome(outcome), "value": String(matching.reduce(UInt64(0)) { $0 + UInt64($1.element.atLeast) })]
            }
            if let chartOutcome {
                facts["charts"] = charts(figures.map(\.element).filter { $0.outcome == chartOutcome }, outcome: chartOutcome, language: language)
            }
            facts.merge(table(figures, sequence: latest.snapshot.sequence, language: language, showReports: false)) { $1 }
            facts["filterFrom"] = filter.from.map { TallyPeriod.day($0).text } ?? ""
            facts["filterTo"] = filter.to.map { TallyPeriod.day($0).text } ?? ""
            let oneOutcome = filter.outcomes.count == 1 ? filter.outcomes.first : nil
            facts["outcomeOptions"] = [["value": "", "label": language.text("any"), "selected": oneOutcome == nil]]
                + Outcome.allCases.map { ["value": $0.rawValue, "label": language.outcome($0), "selected": $0 == oneOutcome] }
            facts["statusOptions"] = TallyStatus.allCases.map {
                ["value": $0.rawValue, "label": language.status($0), "selected": $0 == filter.minimumStatus]
            }
            context["latest"] = facts
        }
        context["hasSnapshots"] = !snapshots.isEmpty
        context["snapshots"] = snapshots.map { published -> [String: Any] in
            let s = published.snapshot
            return ["sequence": String(s.sequence), "link": link(s.sequence), "published": ExportText.timestamp(s.publishedAt), "hash": header(s).hashHex]
        }
        return DashboardTemplates.library.render(context, withTemplate: "dashboard") ?? ""
    }

    /// One snapshot's page, every figure with its report commitments.
    public func snapshotPage(_ published: PublishedSnapshot, language: DashboardLanguage) -> String {
        let sequence = published.snapshot.sequence
        var context = common(language, title: "\(language.text("snapshot.title")) \(sequence)", switchQuery: "", path: "/snapshots/\(sequence)")
        context.merge(facts(published, language: language)) { $1 }
        context.merge(table(Array(published.snapshot.figures.enumerated()), sequence: sequence, language: language, showReports: true)) { $1 }
        return DashboardTemplates.library.render(context, withTemplate: "snapshot") ?? ""
    }

    /// The link to a snapshot's page (and, with a suffix, its exports).
    func link(_ sequence: UInt64) -> String { "\(base)/snapshots/\(sequence)" }

    /// The entry bundle that holds a log index (`/log/tile/entries/…`, c2sp.org/tlog-tiles): the
    /// partial bundle of the latest checkpoint's tree while it is not full, the full one after.
    func logLink(_ index: UInt64) -> String {
        let bundle = index / UInt64(Tile.maxWidth)
        let tile = logTreeSize.flatMap { $0 > index ? Tile.tile(level: 0, index: bundle, treeSize: $0) : nil }
            ?? (try? Tile(level: 0, index: bundle))
        return tile.map { "/log/" + $0.entriesPath } ?? "/log/checkpoint"
    }

    func common(_ language: DashboardLanguage, title: String, switchQuery: String, path: String = "/dashboard") -> [String: Any] {
        [
            "lang": language.rawValue, "dir": language.direction, "otherLang": language.other.rawValue,
            "switchLink": "\(base)\(path)?lang=\(language.other.rawValue)", "pageTitle": title, "base": base,
            "css": DashboardTemplates.css, "l": language.labels(),
        ]
    }

    func facts(_ published: PublishedSnapshot, language: DashboardLanguage) -> [String: Any] {
        let s = published.snapshot
        var facts: [String: Any] = [
            "sequence": String(s.sequence), "published": ExportText.timestamp(s.publishedAt), "hash": header(s).hashHex,
            "logIndex": String(published.logIndex), "logLink": logLink(published.logIndex), "snapshotLink": link(s.sequence),
            "hasPrevious": s.previousHash != nil,
        ]
        if let previous = s.previousHash {
            facts["previousHash"] = CommitmentText.hex(previous)
            facts["previousLink"] = link(s.sequence - 1) + "?lang=" + language.rawValue
        }
        return facts
    }

    /// The figure table's context: rows (at most ``maximumRows``) keep their index in the snapshot.
    func table(_ figures: [(offset: Int, element: TallyFigure)], sequence: UInt64, language: DashboardLanguage, showReports: Bool) -> [String: Any] {
        let rows = figures.prefix(maximumRows).map { index, figure -> [String: Any] in
            [
                "index": String(index), "date": figure.period.text,
                "dateShown": figure.period == .unknown ? language.text("unknown") : figure.period.text,
                "governorate": figure.governorate.isKnown ? figure.governorate.name : language.text("unknown"),
                "governorateKey": figure.governorate.key, "outcome": language.outcome(figure.outcome), "outcomeCode": figure.outcome.rawValue,
                "atLeast": String(figure.atLeast), "link": "\(link(sequence))?lang=\(language.rawValue)#figure-\(index)",
                "breakdown": figure.breakdown.values.prefix(Self.categories.count).map { $0.map(String.init) ?? "" },
                "unidentified": String(figure.unidentified), "sources": String(figure.independentSources),
                "status": language.status(figure.status), "reports": figure.reports.map(CommitmentText.hex),
            ]
        }
        return [
            "rows": Array(rows), "truncated": figures.count > maximumRows, "showReports": showReports,
            "categories": Self.categories.map { language.text("category." + $0) },
        ]
    }

    /// The breakdown fields shown as categories (the first four of ``TallyBreakdown/fieldNames``).
    static let categories = Array(TallyBreakdown.fieldNames.prefix(4))

    /// The three charts of one outcome: over time, by governorate, by category.
    func charts(_ figures: [TallyFigure], outcome: Outcome, language: DashboardLanguage) -> [[String: Any]] {
        let rtl = language == .ar
        let name = language.outcome(outcome)
        let query = "\(base)/dashboard?lang=\(language.rawValue)&outcome=\(outcome.rawValue)"
        var byPeriod: [TallyPeriod: UInt64] = [:]
        var byGovernorate: [Governorate: UInt64] = [:]
        var byCategory = Array(repeating: UInt64(0), count: Self.categories.count)
        let days = Set(figures.map(\.period)).count
        for figure in figures {
            // More than ``maximumBars`` periods: bars by month, so the chart stays readable.
            byPeriod[days > Self.maximumBars ? Self.month(figure.period) : figure.period, default: 0] += UInt64(figure.atLeast)
            byGovernorate[figure.governorate, default: 0] += UInt64(figure.atLeast)
            for k in byCategory.indices { byCategory[k] += UInt64(figure.breakdown.values[k] ?? 0) }
        }
        let time = byPeriod.sorted { $0.key < $1.key }.map { period, value in
            DashboardChart.Item(
                label: period == .unknown ? language.text("unknown") : period.text, value: value,
                link: TallyFilter.days(of: period).map { "\(query)&from=\(TallyPeriod.day($0.lowerBound).text)&to=\(TallyPeriod.day($0.upperBound).text)" })
        }
        let ranked = byGovernorate.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        var places = ranked.prefix(Self.maximumBars).map { governorate, value in
            DashboardChart.Item(
                label: governorate.isKnown ? governorate.name : language.text("unknown"), value: value,
                link: governorate.isKnown ? "\(query)&governorate=\(Self.queryValue(governorate.code ?? governorate.name))" : nil)
        }
        if ranked.count > Self.maximumBars {
            places.append(DashboardChart.Item(label: language.text("others"), value: ranked.dropFirst(Self.maximumBars).reduce(0) { $0 + $1.value }, link: nil))
        }
        let categories = zip(Self.categories, byCategory).map { DashboardChart.Item(label: language.text("category." + $0), value: $1, link: nil) }
        return [
            ("chart-time", DashboardChart(title: "\(language.text("chart.time")) · \(name)", items: time, rightToLeft: rtl)),
            ("chart-governorate", DashboardChart(title: "\(language.text("chart.governorate")) · \(name)", items: places, rightToLeft: rtl)),
            ("chart-category", DashboardChart(title: "\(language.text("chart.category")) · \(name)", items: categories, rightToLeft: rtl)),
        ].map { id, chart in chart.context.merging(["id": id]) { $1 } }
    }

    /// The most bars in one chart; beyond it days become months and governorates "others".
    static let maximumBars = 60

    /// The month a period falls in (months and unknown stay as they are).
    static func month(_ period: TallyPeriod) -> TallyPeriod {
        guard case .day = period else { return period }
        let parts = period.text.split(separator: "-").compactMap { Int($0) }
        return parts.count == 3 ? .month(year: parts[0], month: parts[1]) : period
    }

    /// Percent-encodes a query value (RFC 3986 unreserved characters kept).
    static func queryValue(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded
            }
        }
        return out
    }
}

private extension String {
    var leftPadded: String { count == 1 ? "0" + self : self }
}
