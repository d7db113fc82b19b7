import IsnadWire

/// Links reports of one incident (docs/dedup.md, "Incidents"):
///
/// ```
/// same incident type  ∧  same governorate  ∧  same locality when both give one
///                     ∧  overlapping time windows:
///     exact        t ± exactTolerance (6 h)      approximate  t ± approximateTolerance (12 h)
///     day          that UTC day                  month, unknown: never linked (too vague)
/// ```
/// Reports are swept in time order within each type and governorate; a report joins the first
/// open incident whose window it overlaps, unless that would give the incident two known
/// localities or a window longer than `maximumSpanSeconds` (2 days), so a chain of reports cannot
/// grow into a campaign. An incident's independent sources are its distinct reporter keys.
public struct IncidentLinker: Sendable {
    /// Half-width of the window around an exact time.
    public var exactToleranceSeconds: Int64 = 6 * 3600
    /// Half-width of the window around an approximate time.
    public var approximateToleranceSeconds: Int64 = 12 * 3600
    /// The longest an incident's window may become.
    public var maximumSpanSeconds: Int64 = 2 * 86_400
    /// Spellings of governorates.
    public var gazetteer: Gazetteer

    /// Creates a linker with the documented tolerances.
    public init(gazetteer: Gazetteer = Gazetteer()) {
        self.gazetteer = gazetteer
    }

    /// The incidents of the given reports, ordered by day (undated last), governorate, type and id.
    /// Every report belongs to exactly one incident; the same commitment twice counts once.
    public func link(_ reports: [ReviewedReport]) -> [Incident] {
        var unique: [ReportCommitment: ReviewedReport] = [:]
        for report in reports where unique[report.commitment] == nil { unique[report.commitment] = report }
        let items = unique.values.map { Item($0, linker: self) }.sorted(by: Item.order)

        var groups: [[Item]] = []
        var open: [Int] = []  // groups of the current (type, governorate) still within reach
        var previous: (IncidentType, String)?
        for item in items {
            guard item.isLinkable, let window = item.window else {
                groups.append([item])
                continue
            }
            if previous.map({ $0 != (item.type, item.governorate.key) }) ?? true { open = [] }
            previous = (item.type, item.governorate.key)
            open.removeAll { groups[$0].compactMap(\.window).map(\.upperBound).max() ?? .min < window.lowerBound - maximumSpanSeconds }
            if let g = open.first(where: { canJoin(item, groups[$0]) }) {
                groups[g].append(item)
            } else {
                open.append(groups.count)
                groups.append([item])
            }
        }
        return groups.map(makeIncident).sorted(by: Self.order)
    }

    private func canJoin(_ item: Item, _ group: [Item]) -> Bool {
        guard let window = item.window else { return false }
        let overlaps = group.contains { other in other.window.map { $0.overlaps(window) } ?? false }
        let localities = Set((group + [item]).map(\.locality).filter { !$0.isEmpty })
        let starts = (group + [item]).compactMap(\.window)
        let span = (starts.map(\.upperBound).max() ?? 0) - (starts.map(\.lowerBound).min() ?? 0)
        return overlaps && localities.count <= 1 && span <= maximumSpanSeconds
    }

    private func makeIncident(_ group: [Item]) -> Incident {
        let windows = group.compactMap(\.window)
        let window = windows.isEmpty ? nil : (windows.map(\.lowerBound).min() ?? 0)...(windows.map(\.upperBound).max() ?? 0)
        let first = group[0]
        return Incident(
            reports: group.map(\.report.commitment).sorted(by: ReportCommitment.byteOrder), type: first.type, governorate: first.governorate,
            locality: group.map(\.locality).first(where: { !$0.isEmpty }) ?? "", window: window,
            independentSources: Set(group.map(\.report.reporterKey)).count,
            hasEvidenceSeen: group.contains { $0.report.isEvidenceSeen })
    }

    static func order(_ a: Incident, _ b: Incident) -> Bool {
        let da = a.day ?? .max, db = b.day ?? .max
        if da != db { return da < db }
        if a.governorate != b.governorate { return a.governorate < b.governorate }
        if a.type != b.type { return a.type.rawValue < b.type.rawValue }
        return ReportCommitment.byteOrder(a.id, b.id)
    }

    /// The time window a report allows; `nil` when it is too vague to link.
    func window(of time: ReportTime) -> ClosedRange<Int64>? {
        guard let t = time.secondsSinceEpoch else { return nil }
        switch time.precision {
        case .exact: return (t - exactToleranceSeconds)...(t + exactToleranceSeconds)
        case .approximate: return (t - approximateToleranceSeconds)...(t + approximateToleranceSeconds)
        case .day: return t...(t + 86_399)
        case .month, .unknown: return nil
        }
    }

    private struct Item {
        let report: ReviewedReport
        let type: IncidentType
        let governorate: Governorate
        let locality: String
        let window: ClosedRange<Int64>?

        init(_ report: ReviewedReport, linker: IncidentLinker) {
            self.report = report
            type = report.report.incidentType
            governorate = linker.gazetteer.governorate(report.report.place.governorate)
            locality = report.report.place.locality.map(Gazetteer.key) ?? ""
            window = linker.window(of: report.report.occurred)
        }

        var isLinkable: Bool { window != nil && governorate.isKnown }

        static func order(_ a: Item, _ b: Item) -> Bool {
            if a.type != b.type { return a.type.rawValue < b.type.rawValue }
            if a.governorate.key != b.governorate.key { return a.governorate.key < b.governorate.key }
            let sa = a.window?.lowerBound ?? .max, sb = b.window?.lowerBound ?? .max
            if sa != sb { return sa < sb }
            return ReportCommitment.byteOrder(a.report.commitment, b.report.commitment)
        }
    }
}
