import IsnadWire

/// One incident: the reports of the same type, place and time from one or more reporters
/// (docs/dedup.md, "Incidents").
public struct Incident: Hashable, Sendable {
    /// The smallest commitment among its reports: a stable identifier.
    public var id: ReportCommitment { reports[0] }
    /// The commitments of its reports, in byte order (never empty).
    public let reports: [ReportCommitment]
    /// What happened.
    public let type: IncidentType
    /// Where: the governorate (through the gazetteer) and the folded locality, empty if unknown.
    public let governorate: Governorate
    public let locality: String
    /// The earliest and latest instants the reports allow, `nil` if no report dates it to a day or better.
    public let window: ClosedRange<Int64>?
    /// The number of distinct reporter keys: one reporter sending twice counts once.
    public let independentSources: Int
    /// Whether staff have seen supporting evidence in one of its reports.
    public let hasEvidenceSeen: Bool

    /// The UTC day of the incident's earliest instant.
    public var day: Int64? { window.map { DayNumber.floorDivide($0.lowerBound, 86_400) } }
}
