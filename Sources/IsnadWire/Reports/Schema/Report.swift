import IsnadMLS

/// An incident report, schema version 1 (docs/reports.md, "Schema").
///
/// Unknown is always expressible and never guessed: optional fields are `nil`, counts are
/// ``PeopleCount/unknown``, times have ``TimePrecision/unknown``, the perpetrator ``Perpetrator/unknown``.
/// Text is stored exactly as typed: no Unicode normalisation, no trimming.
///
/// Two encodings: JSON for people and tools (``init(json:)``, ``json()``), and the canonical
/// binary encoding that is signed (``canonicalBytes``, ``init(canonicalBytes:)``).
///
/// - Note: `==` compares strings by Unicode canonical equivalence, as Swift does; two reports
///   that differ only in normalisation compare equal but have different ``canonicalBytes``.
///   Compare ``canonicalBytes`` where the exact bytes matter.
public struct Report: Hashable, Sendable {
    /// The schema version this build writes and reads.
    public static let currentSchemaVersion: UInt16 = 1

    /// The schema version, ``currentSchemaVersion``.
    public var schemaVersion: UInt16
    /// What happened.
    public var incidentType: IncidentType
    /// When it happened.
    public var occurred: ReportTime
    /// Where it happened.
    public var place: Place
    /// How many people it affected, per outcome.
    public var counts: ReportCounts
    /// The people the reporter can name.
    public var victims: [Victim]
    /// Who the reporter alleges is responsible.
    public var perpetrator: Perpetrator
    /// The reporter's own account, free text.
    public var narrative: String
    /// Hashes and descriptions of supporting files.
    public var evidence: [EvidenceItem]

    /// Creates a version-1 report; everything but the incident type defaults to unknown or empty.
    public init(
        incidentType: IncidentType, occurred: ReportTime = .unknown, place: Place = Place(),
        counts: ReportCounts = ReportCounts(), victims: [Victim] = [], perpetrator: Perpetrator = .unknown,
        narrative: String = "", evidence: [EvidenceItem] = []
    ) {
        self.schemaVersion = Self.currentSchemaVersion
        self.incidentType = incidentType
        self.occurred = occurred
        self.place = place
        self.counts = counts
        self.victims = victims
        self.perpetrator = perpetrator
        self.narrative = narrative
        self.evidence = evidence
    }
}
