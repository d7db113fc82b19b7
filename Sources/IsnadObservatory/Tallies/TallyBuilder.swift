import IsnadWire

/// Turns reviewed reports into figures (docs/dedup.md, "Tallies"):
///
/// ```
/// verified reports ─▶ incidents (IncidentLinker)
///                  ─▶ named victims ─▶ de-duplicated people (VictimDeduplicator + reviewers' decisions)
/// per incident and outcome:  max( people assigned to it + unidentified of its fullest report,
///                                 the largest count any of its reports gives )      (and per breakdown field)
/// per (period, governorate, outcome):  the sum over its incidents  ─▶ TallyFigure
/// ```
///
/// Reports of one incident describe the same people, so their counts are not added but the
/// largest is taken; distinct incidents are added. Each person counts once, in the incident of
/// their first record. Unverified reports are ignored.
public struct TallyBuilder: Sendable {
    public var deduplication: DedupConfiguration
    public var linker: IncidentLinker

    /// Creates a builder whose de-duplication and linking share one gazetteer.
    public init(gazetteer: Gazetteer = Gazetteer()) {
        deduplication = DedupConfiguration()
        deduplication.gazetteer = gazetteer
        linker = IncidentLinker(gazetteer: gazetteer)
    }

    /// The figures and what they were computed from.
    public struct Result: Sendable {
        /// Figures in snapshot order, each with at least one person.
        public let figures: [TallyFigure]
        /// The de-duplication behind the named victims (its review queue is the staff's work list).
        public let deduplication: DedupResult
        /// The incidents the verified reports form.
        public let incidents: [Incident]
    }

    /// Computes the figures.
    /// - Parameter decisions: reviewers' de-duplication decisions; those about victims of reports
    ///   that are not (or no longer) verified are set aside.
    /// - Throws: the ``AnalysisError`` of de-duplication for contradictory decisions.
    public func build(_ reports: [ReviewedReport], decisions: [DedupDecision] = []) throws(AnalysisError) -> Result {
        var byCommitment: [ReportCommitment: ReviewedReport] = [:]
        for report in reports where report.isVerified && byCommitment[report.commitment] == nil {
            byCommitment[report.commitment] = report
        }
        let verified = byCommitment.values.sorted { ReportCommitment.byteOrder($0.commitment, $1.commitment) }
        let incidents = linker.link(verified)
        var incidentOf: [ReportCommitment: Int] = [:]
        for (i, incident) in incidents.enumerated() {
            for commitment in incident.reports { incidentOf[commitment] = i }
        }
        let records = verified.flatMap(\.victimRecords)
        let recordByID = Dictionary(records.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        // Decisions are never deleted, but a report may be rejected after a reviewer merged one of
        // its victims: decisions about records that no longer count are set aside.
        let counted = Set(recordByID.keys)
        let applicable = decisions.filter { counted.contains($0.first) && counted.contains($0.second) }
        let dedup = try VictimDeduplicator(configuration: deduplication).run(records, decisions: applicable)

        var parts: [PartKey: Part] = [:]
        func outcome(_ record: VictimRecord) -> Outcome? {
            record.victim.outcome ?? byCommitment[record.id.report].flatMap { Tally.implied($0.report.incidentType) }
        }

        // Named, identified people: each once, in the incident of its first record.
        for cluster in dedup.clusters {
            let members = cluster.records.compactMap { recordByID[$0] }
            let outcomes = Set(members.compactMap(outcome))
            guard let gravest = Tally.severity.first(where: outcomes.contains),
                  let home = members.compactMap({ incidentOf[$0.id.report] }).min()
            else { continue }
            var part = parts[PartKey(incident: home, outcome: gravest)] ?? Part()
            part.named = Tally.add(part.named, 1)
            part.namedBreakdown = part.namedBreakdown + Self.attributes(members.map(\.victim))
            for member in members { part.add(byCommitment[member.id.report]) }
            parts[PartKey(incident: home, outcome: gravest)] = part
        }

        // Unidentified victims and reported counts, report by report: the fullest report of an
        // incident stands for it.
        let unidentified = Dictionary(grouping: dedup.unidentified.compactMap { recordByID[$0] }, by: \.id.report)
        for report in verified {
            guard let i = incidentOf[report.commitment] else { continue }
            for o in Tally.severity {
                let unnamed = (unidentified[report.commitment] ?? []).filter { outcome($0) == o }
                let counts = Tally.counts(report.report.counts, o)
                guard !unnamed.isEmpty || counts != nil else { continue }
                var part = parts[PartKey(incident: i, outcome: o)] ?? Part()
                if UInt32(unnamed.count) > part.unidentified {
                    part.unidentified = UInt32(unnamed.count)
                    part.unidentifiedBreakdown = Self.attributes(unnamed.map(\.victim))
                }
                if let counts {
                    part.reported = [part.reported, Tally.lowerBound(counts.total)].compactMap { $0 }.max()
                    part.reportedBreakdown = TallyBreakdown.max(part.reportedBreakdown, Self.breakdown(counts))
                }
                part.add(report)
                parts[PartKey(incident: i, outcome: o)] = part
            }
        }

        return Result(figures: Self.figures(parts, incidents: incidents, reports: byCommitment), deduplication: dedup, incidents: incidents)
    }

    /// Adds up the incidents of each (period, governorate, outcome).
    private static func figures(_ parts: [PartKey: Part], incidents: [Incident], reports: [ReportCommitment: ReviewedReport]) -> [TallyFigure] {
        struct Cell: Hashable {
            let period: TallyPeriod
            let governorate: String
            let outcome: Outcome
        }
        var cells: [Cell: CellSum] = [:]
        for (key, part) in parts {
            let incident = incidents[key.incident]
            let period = incident.day.map(TallyPeriod.day)
                ?? reports[incident.id].map { TallyPeriod($0.report.occurred) } ?? .unknown
            let cell = Cell(period: period, governorate: incident.governorate.key, outcome: key.outcome)
            cells[cell, default: CellSum()].add(part, in: incident)
        }
        return cells.compactMap { cell, sum -> TallyFigure? in
            guard sum.total > 0 else { return nil }
            return TallyFigure(
                period: cell.period, governorate: sum.governorates.min() ?? .unknown, outcome: cell.outcome, atLeast: sum.total,
                breakdown: sum.breakdown, unidentified: sum.unidentified, independentSources: UInt32(sum.reporters.count),
                status: sum.status, reports: sum.commitments.sorted(by: ReportCommitment.byteOrder))
        }.sorted(by: TallyFigure.order)
    }

    /// The breakdown fields named victims fill: category, sex, age band (from years or a band).
    static func attributes(_ victims: [Victim]) -> TallyBreakdown {
        var values = [UInt32?](repeating: nil, count: TallyBreakdown.fieldNames.count)
        func count(_ index: Int?) {
            if let index { values[index] = (values[index] ?? 0) + 1 }
        }
        // One person's records may disagree; the first record that knows decides.
        count(victims.lazy.compactMap(\.category).first.map(TallyBreakdown.index))
        count(victims.lazy.compactMap(\.sex).first.map(TallyBreakdown.index))
        let band: AgeBand? = victims.lazy.compactMap { victim -> AgeBand? in
            switch victim.age {
            case .years(let years): years < 18 ? .child : years < 60 ? .adult : .elderly
            case .band(let band): band
            case nil: nil
            }
        }.first
        count(band.map(TallyBreakdown.index))
        return TallyBreakdown(values: values)
    }

    /// The breakdown of a report's counts for one outcome.
    static func breakdown(_ c: CasualtyCounts) -> TallyBreakdown {
        TallyBreakdown(values: [c.civilians, c.combatants, c.soldiers, c.defectors, c.female, c.male, c.children, c.adults, c.elderly]
            .map(Tally.lowerBound))
    }
}

/// One incident's contribution to one outcome.
private struct PartKey: Hashable {
    let incident: Int
    let outcome: Outcome
}

private struct Part {
    var named: UInt32 = 0
    var namedBreakdown = TallyBreakdown()
    var unidentified: UInt32 = 0
    var unidentifiedBreakdown = TallyBreakdown()
    var reported: UInt32?
    var reportedBreakdown = TallyBreakdown()
    var reporters: Set<[UInt8]> = []
    var commitments: Set<ReportCommitment> = []
    var hasEvidence = false

    mutating func add(_ report: ReviewedReport?) {
        guard let report else { return }
        reporters.insert(report.reporterKey)
        commitments.insert(report.commitment)
        hasEvidence = hasEvidence || report.isEvidenceSeen
    }

    /// max(named + unidentified, reported): the reports of one incident describe the same people.
    var total: UInt32 { max(Tally.add(named, unidentified), reported ?? 0) }

    /// The same rule per breakdown field.
    var breakdown: TallyBreakdown { TallyBreakdown.max(namedBreakdown + unidentifiedBreakdown, reportedBreakdown) }

    var status: TallyStatus {
        hasEvidence ? .verifiedWithEvidence : reporters.count >= 2 ? .corroborated : .singleSource
    }
}

/// The incidents of one (period, governorate, outcome) added up: distinct incidents are distinct people.
private struct CellSum {
    var total: UInt32 = 0
    var breakdown = TallyBreakdown()
    var unidentified: UInt32 = 0
    var reporters: Set<[UInt8]> = []
    var commitments: Set<ReportCommitment> = []
    var governorates: Set<Governorate> = []
    /// The weakest status among the incidents.
    var status = TallyStatus.verifiedWithEvidence

    mutating func add(_ part: Part, in incident: Incident) {
        total = Tally.add(total, part.total)
        breakdown = breakdown + part.breakdown
        unidentified = Tally.add(unidentified, part.unidentified)
        reporters.formUnion(part.reporters)
        commitments.formUnion(part.commitments)
        governorates.insert(incident.governorate)
        status = min(status, part.status)
    }
}
