import IsnadWire

/// A snapshot as CSV (RFC 4180: comma-separated, CRLF, quoted where needed, UTF-8), one row per
/// figure, written row by row (docs/dedup.md, "Exports").
///
/// Columns: `date, governorate, governorate_code, outcome, at_least`, the breakdown
/// (`civilians … elderly`, empty where unknown), `unidentified, independent_sources, status,
/// report_commitments` (64-hex commitments separated by spaces), `snapshot` (the snapshot hash).
public enum TallyCSVExporter {
    /// The header row's column names.
    public static let columns = ["date", "governorate", "governorate_code", "outcome", "at_least"]
        + TallyBreakdown.fieldNames + ["unidentified", "independent_sources", "status", "report_commitments", "snapshot"]

    /// Writes the header and one row per figure.
    public static func export<S: ExportSink>(_ figures: some Sequence<TallyFigure>, header: SnapshotHeader, to sink: inout S) throws {
        try sink.write(ExportText.csvRecord(columns))
        for figure in figures {
            try sink.write(ExportText.csvRecord(row(figure) + [header.hashHex]))
        }
    }

    /// Writes a whole snapshot.
    public static func export<S: ExportSink>(_ snapshot: TallySnapshot, to sink: inout S) throws {
        try export(snapshot.figures, header: SnapshotHeader(snapshot), to: &sink)
    }

    /// The figure's fields, in ``columns`` order (without the snapshot hash).
    static func row(_ figure: TallyFigure) -> [String] {
        [
            figure.period.text, ExportText.csvField(figure.governorate.name, isText: true),
            ExportText.csvField(figure.governorate.code ?? "", isText: true), figure.outcome.rawValue, String(figure.atLeast),
        ] + figure.breakdown.values.map { $0.map(String.init) ?? "" } + [
            String(figure.unidentified), String(figure.independentSources), figure.status.rawValue,
            figure.reports.map(CommitmentText.hex).joined(separator: " "),
        ]
    }
}

/// A snapshot as HXL-tagged CSV (the Humanitarian Exchange Language, hxlstandard.org): the CSV
/// header, then a row of HXL hashtags, then one row per (date, governorate) for one outcome.
///
/// | column | HXL |
/// |---|---|
/// | date | `#date` |
/// | governorate, its code | `#adm1+name`, `#adm1+code` |
/// | at least N | `#affected+killed` (`+injured`, `+detained`, `+missing` for disappeared, `+defected`, `+displaced`) |
/// | by sex and age band | `… +f`, `+m`, `+children`, `+adults`, `+elderly` |
/// | by category | `… +civilians`, `+combatants`, `+soldiers`, `+defectors` (attributes of our own, as HXL allows) |
/// | unidentified | `… +unidentified` |
/// | independent sources | `#meta+sources` |
/// | status | `#status` |
/// | report commitments, snapshot | `#meta+commitments`, `#meta+snapshot` |
public enum TallyHXLExporter {
    /// The HXL attribute of an outcome.
    public static func attribute(_ outcome: Outcome) -> String {
        switch outcome {
        case .killed: "killed"
        case .injured: "injured"
        case .detained: "detained"
        case .disappeared: "missing"
        case .defected: "defected"
        case .displaced: "displaced"
        }
    }

    static let breakdownAttributes = ["civilians", "combatants", "soldiers", "defectors", "f", "m", "children", "adults", "elderly"]

    /// The header row and the hashtag row for one outcome.
    public static func headers(_ outcome: Outcome) -> (names: [String], tags: [String]) {
        let o = outcome.rawValue
        let affected = "#affected+" + attribute(outcome)
        let names = ["date", "governorate", "governorate_code", o] + TallyBreakdown.fieldNames.map { "\(o)_\($0)" }
            + ["\(o)_unidentified", "independent_sources", "status", "report_commitments", "snapshot"]
        let tags = ["#date", "#adm1+name", "#adm1+code", affected] + breakdownAttributes.map { affected + "+" + $0 }
            + [affected + "+unidentified", "#meta+sources", "#status", "#meta+commitments", "#meta+snapshot"]
        return (names, tags)
    }

    /// Writes the two header rows and one row per figure of `outcome`.
    public static func export<S: ExportSink>(
        _ figures: some Sequence<TallyFigure>, outcome: Outcome = .killed, header: SnapshotHeader, to sink: inout S
    ) throws {
        let (names, tags) = headers(outcome)
        try sink.write(ExportText.csvRecord(names))
        try sink.write(ExportText.csvRecord(tags))
        for figure in figures where figure.outcome == outcome {
            var fields = TallyCSVExporter.row(figure)
            fields.remove(at: 3)  // the outcome: the tags name it
            try sink.write(ExportText.csvRecord(fields + [header.hashHex]))
        }
    }

    /// Writes a whole snapshot for one outcome.
    public static func export<S: ExportSink>(_ snapshot: TallySnapshot, outcome: Outcome = .killed, to sink: inout S) throws {
        try export(snapshot.figures, outcome: outcome, header: SnapshotHeader(snapshot), to: &sink)
    }
}
