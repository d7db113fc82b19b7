import IsnadWire

/// The thresholds and windows of de-duplication (docs/dedup.md gives the values and why).
public struct DedupConfiguration: Sendable {
    /// Pairs scoring at least this merge without a person looking, if some evidence identifies
    /// the person beyond name, time and place (``ScoredPair/isIdentified``: the father's name or the age).
    public var mergeThreshold: Double = 7
    /// Pairs with only name, time and place to go on merge from this score (the same full name,
    /// day, locality and sex).
    public var unidentifiedMergeThreshold: Double = 7.5
    /// Pairs scoring at least this, and not merged, go to a person.
    public var reviewThreshold: Double = 5
    /// Records whose days differ by more than this are not compared (unless one has no day).
    public var windowDays: Int64 = 3
    /// Spellings of governorates, so that "حلب" and "Aleppo" block together.
    public var gazetteer = Gazetteer()

    /// The documented defaults.
    public init() {}
}

/// A reviewer's decision about two records, an input to ``VictimDeduplicator/run(_:decisions:)``.
public struct DedupDecision: Hashable, Sendable {
    /// Whether the two records are one person.
    public enum Verdict: String, Hashable, Sendable { case same, different }

    public let first: VictimRecordID
    public let second: VictimRecordID
    public let verdict: Verdict

    /// Creates a decision.
    public init(_ first: VictimRecordID, _ second: VictimRecordID, _ verdict: Verdict) {
        (self.first, self.second) = first < second ? (first, second) : (second, first)
        self.verdict = verdict
    }
}

/// One person: the records de-duplication (and reviewers) joined.
public struct VictimCluster: Hashable, Sendable {
    /// The records, in ``VictimRecordID`` order.
    public let records: [VictimRecordID]
}

/// A pair for a person to decide, with why it is not decided automatically.
public struct ReviewItem: Hashable, Sendable {
    /// Why the pair is queued.
    public enum Reason: String, Hashable, Sendable {
        /// The score lies between the review and the merge threshold, or above the merge
        /// threshold with nothing but name, time and place to go on.
        case uncertain
        /// The score is high enough to merge, but the records' clusters hold a contradiction
        /// (different sex or fathers, a large age gap, a reviewer's "different", the same
        /// report, days beyond the window or two governorates).
        case conflict
    }

    public let pair: ScoredPair
    public let reason: Reason
}

/// The outcome of de-duplication, every list in a fixed order.
public struct DedupResult: Sendable {
    /// Identified people, ordered by their first record.
    public let clusters: [VictimCluster]
    /// Records whose name is a placeholder ("مجهول الهوية", "unknown"): counted one by one, never merged.
    public let unidentified: [VictimRecordID]
    /// Pairs for a person, highest score first.
    public let review: [ReviewItem]
    /// How many pairs were scored.
    public let comparedPairs: Int

    /// The cluster index of every identified record.
    public func clusterIndex() -> [VictimRecordID: Int] {
        var index: [VictimRecordID: Int] = [:]
        for (i, cluster) in clusters.enumerated() {
            for record in cluster.records { index[record] = i }
        }
        return index
    }
}

/// Victim de-duplication as casualty-documentation groups practise it (docs/dedup.md):
///
/// ```
/// records ─▶ profiles (folded names, skeletons) ─▶ blocking (place/name × day window)
///         ─▶ pair scores ─▶ reviewers' decisions ─▶ merges above the threshold, highest first,
///            never across a contradiction ─▶ clusters + review queue
/// ```
///
/// Pure and deterministic: the same records and decisions, in any order, give the same result.
public struct VictimDeduplicator: Sendable {
    public var configuration: DedupConfiguration

    /// Creates a de-duplicator.
    public init(configuration: DedupConfiguration = DedupConfiguration()) {
        self.configuration = configuration
    }

    /// De-duplicates records.
    /// - Parameters:
    ///   - records: named victims from verified reports; duplicates of one ID are ignored.
    ///   - decisions: reviewers' decisions so far; they override the scores.
    /// - Throws: ``AnalysisError/Code/unknownRecord`` if a decision names a record not given;
    ///   ``AnalysisError/Code/conflictingDecisions`` if decisions contradict each other.
    public func run(_ records: [VictimRecord], decisions: [DedupDecision] = []) throws(AnalysisError) -> DedupResult {
        var unique: [VictimRecordID: VictimRecord] = [:]
        for record in records where unique[record.id] == nil { unique[record.id] = record }
        let sorted = unique.values.sorted { $0.id < $1.id }
        let position = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1.id, $0) })
        let profiles = sorted.map { VictimProfile($0, gazetteer: configuration.gazetteer) }

        var clusters = ClusterSet(records: sorted, governorates: profiles.map(\.governorate), windowDays: configuration.windowDays)
        let humanPairs = try applyDecisions(decisions, position: position, profiles: profiles, clusters: &clusters)

        let scorer = PairScorer()
        let candidates = CandidateBlocking(windowDays: configuration.windowDays).pairs(sorted, profiles)
        var scored = candidates.map { i, j in (i, j, scorer.score(sorted[i], profiles[i], sorted[j], profiles[j])) }
        for (i, j, pair) in scored where pair.isVetoed { clusters.forbid(i, j) }
        scored.sort { x, y in
            x.2.score != y.2.score ? x.2.score > y.2.score : (x.0, x.1) < (y.0, y.1)
        }

        var queued: [(Int, Int, ReviewItem)] = []
        for (i, j, pair) in scored where !humanPairs.contains(Self.pairKey(i, j)) && !pair.isVetoed {
            let threshold = pair.isIdentified ? configuration.mergeThreshold : configuration.unidentifiedMergeThreshold
            if pair.score >= threshold {
                if !clusters.union(i, j) { queued.append((i, j, ReviewItem(pair: pair, reason: .conflict))) }
            } else if pair.score >= configuration.reviewThreshold {
                queued.append((i, j, ReviewItem(pair: pair, reason: .uncertain)))
            }
        }
        // An uncertain pair whose records merged through others, or whose clusters are already
        // declared different, needs no decision.
        let review = queued.filter { i, j, item in
            item.reason == .conflict || !(clusters.same(i, j) || clusters.conflict(i, j))
        }.map(\.2)

        let identified = sorted.indices.filter { !profiles[$0].isUnidentified }
        return DedupResult(
            clusters: clusters.groups(of: identified).map { VictimCluster(records: $0.map { sorted[$0].id }) },
            unidentified: sorted.indices.filter { profiles[$0].isUnidentified }.map { sorted[$0].id },
            review: review, comparedPairs: candidates.count)
    }

    static func pairKey(_ i: Int, _ j: Int) -> UInt64 {
        let (a, b) = i < j ? (i, j) : (j, i)
        return UInt64(a) << 32 | UInt64(b)
    }

    /// Applies "different" (as prohibitions) then "same" (as merges); returns the decided pairs.
    private func applyDecisions(
        _ decisions: [DedupDecision], position: [VictimRecordID: Int], profiles: [VictimProfile], clusters: inout ClusterSet
    ) throws(AnalysisError) -> Set<UInt64> {
        var decided: [UInt64: DedupDecision.Verdict] = [:]
        var resolved: [(Int, Int, DedupDecision.Verdict)] = []
        for (n, decision) in decisions.enumerated() {
            guard let i = position[decision.first], let j = position[decision.second] else {
                throw AnalysisError(.unknownRecord, "decision \(n) names a record that is not among the records given", field: "decisions[\(n)]")
            }
            guard decision.verdict == .different || !(profiles[i].isUnidentified || profiles[j].isUnidentified) else {
                throw AnalysisError(
                    .conflictingDecisions, "decision \(n) merges an unidentified victim; unidentified victims are never merged",
                    field: "decisions[\(n)]")
            }
            let key = Self.pairKey(i, j)
            if let earlier = decided[key], earlier != decision.verdict {
                throw AnalysisError(.conflictingDecisions, "decision \(n) contradicts an earlier decision on the same pair", field: "decisions[\(n)]")
            }
            decided[key] = decision.verdict
            resolved.append((i, j, decision.verdict))
        }
        for (i, j, verdict) in resolved where verdict == .different { clusters.forbid(i, j) }
        for (n, (i, j, verdict)) in resolved.enumerated() where verdict == .same {
            guard clusters.union(i, j, forced: true) else {
                throw AnalysisError(
                    .conflictingDecisions, "decision \(n) joins records that other decisions declare different people",
                    field: "decisions[\(n)]")
            }
        }
        return Set(decided.keys)
    }
}
