import IsnadWire

/// A snapshot as JSON (RFC 8259), written figure by figure (docs/dedup.md, "Exports"):
///
/// ```json
/// {"format": "isnad-tallies", "version": 1,
///  "snapshot": {"sequence": 3, "published": "2025-11-21T08:00:00Z", "hash": "…", "previous_hash": "…" | null},
///  "figures": [
///   {"date": "2025-11-20", "governorate": {"name": "Aleppo", "code": "G02"}, "outcome": "killed",
///    "at_least": 7, "breakdown": {"civilians": 4, "soldiers": 1, …}, "unidentified": 1,
///    "independent_sources": 3, "status": "corroborated", "reports": ["…64 hex…", …]}, …]}
/// ```
/// Unknown breakdown fields are absent; `date` is `YYYY-MM-DD`, `YYYY-MM` or null.
public enum TallyJSONExporter {
    /// Writes the document.
    public static func export<S: ExportSink>(_ figures: some Sequence<TallyFigure>, header: SnapshotHeader, to sink: inout S) throws {
        let previous = header.previousHashHex.map(ExportText.jsonString) ?? "null"
        try sink.write(
            "{\"format\":\"isnad-tallies\",\"version\":1,\"snapshot\":{\"sequence\":\(header.sequence),"
                + "\"published\":\(ExportText.jsonString(ExportText.timestamp(header.publishedAt))),"
                + "\"hash\":\(ExportText.jsonString(header.hashHex)),\"previous_hash\":\(previous)},\n\"figures\":[")
        var separator = "\n"
        for figure in figures {
            try sink.write(separator + object(figure))
            separator = ",\n"
        }
        try sink.write("\n]}\n")
    }

    /// Writes a whole snapshot.
    public static func export<S: ExportSink>(_ snapshot: TallySnapshot, to sink: inout S) throws {
        try export(snapshot.figures, header: SnapshotHeader(snapshot), to: &sink)
    }

    static func object(_ figure: TallyFigure) -> String {
        let date = figure.period == .unknown ? "null" : ExportText.jsonString(figure.period.text)
        let code = figure.governorate.code.map(ExportText.jsonString) ?? "null"
        let breakdown = zip(TallyBreakdown.fieldNames, figure.breakdown.values)
            .compactMap { name, value in value.map { "\"\(name)\":\($0)" } }.joined(separator: ",")
        let reports = figure.reports.map { "\"\(CommitmentText.hex($0))\"" }.joined(separator: ",")
        return "{\"date\":\(date),\"governorate\":{\"name\":\(ExportText.jsonString(figure.governorate.name)),\"code\":\(code)},"
            + "\"outcome\":\"\(figure.outcome.rawValue)\",\"at_least\":\(figure.atLeast),\"breakdown\":{\(breakdown)},"
            + "\"unidentified\":\(figure.unidentified),\"independent_sources\":\(figure.independentSources),"
            + "\"status\":\"\(figure.status.rawValue)\",\"reports\":[\(reports)]}"
    }
}
