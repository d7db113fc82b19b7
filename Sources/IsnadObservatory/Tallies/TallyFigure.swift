import IsnadWire

/// How well a figure is supported, weakest first (docs/dedup.md, "Tallies").
public enum TallyStatus: String, Hashable, Comparable, Sendable, CaseIterable {
    /// One reporter key.
    case singleSource = "single_source"
    /// Two or more independent reporter keys.
    case corroborated
    /// Staff examined supporting evidence (photos, video, documents).
    case verifiedWithEvidence = "verified_with_evidence"

    /// The binary code in snapshots.
    var code: UInt8 {
        switch self {
        case .singleSource: 1
        case .corroborated: 2
        case .verifiedWithEvidence: 3
        }
    }

    public static func < (a: TallyStatus, b: TallyStatus) -> Bool { a.code < b.code }
}

/// "At least" counts by category, sex and age band; `nil` where nothing is known.
public struct TallyBreakdown: Hashable, Sendable {
    /// The field names, in encoding and export order.
    public static let fieldNames = ["civilians", "combatants", "soldiers", "defectors", "female", "male", "children", "adults", "elderly"]

    /// The counts in ``fieldNames`` order.
    public private(set) var values: [UInt32?]

    /// All unknown.
    public init() { values = Array(repeating: nil, count: Self.fieldNames.count) }

    /// From values in ``fieldNames`` order; missing values are unknown, extra ones ignored.
    public init(values: [UInt32?]) {
        self.values = (0..<Self.fieldNames.count).map { $0 < values.count ? values[$0] : nil }
    }

    /// The count of one field by name (`"soldiers"`), `nil` if unknown or not a field.
    public subscript(name: String) -> UInt32? {
        Self.fieldNames.firstIndex(of: name).flatMap { values[$0] }
    }

    /// Field by field: the sum where either is known (saturating).
    static func + (a: TallyBreakdown, b: TallyBreakdown) -> TallyBreakdown {
        TallyBreakdown(values: zip(a.values, b.values).map { x, y in
            x == nil && y == nil ? nil : Tally.add(x ?? 0, y ?? 0)
        })
    }

    /// Field by field: the larger where either is known.
    static func max(_ a: TallyBreakdown, _ b: TallyBreakdown) -> TallyBreakdown {
        TallyBreakdown(values: zip(a.values, b.values).map { x, y in
            x == nil && y == nil ? nil : Swift.max(x ?? 0, y ?? 0)
        })
    }

    static func index(_ category: PersonCategory) -> Int {
        switch category {
        case .civilian: 0
        case .combatant: 1
        case .soldier: 2
        case .defector: 3
        }
    }

    static func index(_ sex: Sex) -> Int { sex == .female ? 4 : 5 }

    static func index(_ band: AgeBand) -> Int {
        switch band {
        case .child: 6
        case .adult: 7
        case .elderly: 8
        }
    }
}

/// One published figure: at least ``atLeast`` people with ``outcome`` in ``governorate`` during
/// ``period``, with its breakdown, its sources, its status, and the commitments of every report
/// behind it, so anyone can check that the figure rests on logged reports.
public struct TallyFigure: Hashable, Sendable {
    public let period: TallyPeriod
    public let governorate: Governorate
    /// The category of the figure: killed, injured, detained, disappeared, defected, displaced.
    public let outcome: Outcome
    /// The lower bound: de-duplicated named victims and reported counts, incident by incident.
    public let atLeast: UInt32
    public let breakdown: TallyBreakdown
    /// How many of ``atLeast`` are named but unidentified victims (counted, never merged).
    public let unidentified: UInt32
    /// Distinct reporter keys behind the figure.
    public let independentSources: UInt32
    /// The weakest status among the incidents the figure adds up.
    public let status: TallyStatus
    /// The commitments of the reports behind the figure, in byte order.
    public let reports: [ReportCommitment]

    /// Creates a figure (the builder and the snapshot decoder do).
    public init(
        period: TallyPeriod, governorate: Governorate, outcome: Outcome, atLeast: UInt32, breakdown: TallyBreakdown,
        unidentified: UInt32, independentSources: UInt32, status: TallyStatus, reports: [ReportCommitment]
    ) {
        (self.period, self.governorate, self.outcome, self.atLeast) = (period, governorate, outcome, atLeast)
        (self.breakdown, self.unidentified, self.independentSources) = (breakdown, unidentified, independentSources)
        (self.status, self.reports) = (status, reports)
    }

    /// Where the figure sorts in a snapshot: period, governorate key, outcome code.
    static func order(_ a: TallyFigure, _ b: TallyFigure) -> Bool {
        if a.period != b.period { return a.period < b.period }
        if a.governorate.key != b.governorate.key { return a.governorate.key < b.governorate.key }
        return a.outcome.code < b.outcome.code
    }
}

/// Small shared rules of tallies.
enum Tally {
    static func add(_ a: UInt32, _ b: UInt32) -> UInt32 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : sum
    }

    /// A count's lower bound, `nil` when unknown.
    static func lowerBound(_ count: PeopleCount) -> UInt32? {
        switch count {
        case .unknown: nil
        case .exactly(let n), .atLeast(let n): n
        }
    }

    /// The counts a report gives for an outcome.
    static func counts(_ counts: ReportCounts, _ outcome: Outcome) -> CasualtyCounts? {
        switch outcome {
        case .killed: counts.killed
        case .injured: counts.injured
        case .detained: counts.detained
        case .disappeared: counts.disappeared
        case .defected: counts.defected
        case .displaced: counts.displaced
        }
    }

    /// The outcome an incident type implies for a named victim who has none.
    static func implied(_ type: IncidentType) -> Outcome? {
        switch type {
        case .killed: .killed
        case .injured: .injured
        case .detained: .detained
        case .disappeared: .disappeared
        case .defection: .defected
        case .displacement: .displaced
        case .shelling, .airStrike, .clash, .other: nil
        }
    }

    /// When one person's records disagree, the gravest outcome counts (one reported injured and
    /// later killed is killed).
    static let severity: [Outcome] = [.killed, .disappeared, .detained, .injured, .defected, .displaced]
}
