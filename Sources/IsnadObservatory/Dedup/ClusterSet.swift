import IsnadWire

/// Union–find over record indices that refuses a union across a "cannot link": a veto, a
/// reviewer's "different", two records of one report, days further apart than the window, or
/// two governorates. Reviewers' "same" overrides all but a "different".
struct ClusterSet: Sendable {
    private var parent: [Int]
    private var members: [[Int]]
    private var cannot: [Set<Int>]
    private var reports: [Set<ReportCommitment>]
    /// The earliest and latest known day, and the known governorate, of each cluster: one
    /// person's records describe one event, so a cluster spans at most `windowDays` and one governorate.
    private var days: [ClosedRange<Int64>?]
    private var governorate: [String]
    private let windowDays: Int64

    init(records: [VictimRecord], governorates: [String], windowDays: Int64) {
        parent = Array(records.indices)
        members = records.indices.map { [$0] }
        cannot = Array(repeating: [], count: records.count)
        reports = records.map { [$0.id.report] }
        days = records.map { $0.day.map { $0...$0 } }
        governorate = governorates
        self.windowDays = windowDays
    }

    mutating func root(_ i: Int) -> Int {
        var r = i
        while parent[r] != r { r = parent[r] }
        var k = i
        while parent[k] != r { (parent[k], k) = (r, parent[k]) }
        return r
    }

    mutating func same(_ i: Int, _ j: Int) -> Bool { root(i) == root(j) }

    /// Records that `i` and `j` are different people (and so are their clusters). Each root keeps
    /// every record it may not join, and unions carry that set, so checking one direction suffices.
    mutating func forbid(_ i: Int, _ j: Int) {
        let (ri, rj) = (root(i), root(j))
        cannot[ri].formUnion(members[rj])
        cannot[rj].formUnion(members[ri])
    }

    /// Whether the clusters of `i` and `j` hold records that cannot be one person.
    mutating func conflict(_ i: Int, _ j: Int) -> Bool {
        let (ri, rj) = (root(i), root(j))
        return members[rj].contains(where: cannot[ri].contains)
    }

    /// Joins the clusters of `i` and `j`; `false` (and no change) if that would join records that
    /// cannot be one person.
    mutating func union(_ i: Int, _ j: Int, forced: Bool = false) -> Bool {
        var (ri, rj) = (root(i), root(j))
        if ri == rj { return true }
        guard !conflict(ri, rj) else { return false }
        let span: ClosedRange<Int64>? = switch (days[ri], days[rj]) {
        case (let x?, let y?): min(x.lowerBound, y.lowerBound)...max(x.upperBound, y.upperBound)
        case (let x, let y): x ?? y
        }
        let place = governorate[ri].isEmpty ? governorate[rj] : governorate[ri]
        if !forced {
            guard reports[ri].isDisjoint(with: reports[rj]) else { return false }
            guard (span.map { $0.upperBound - $0.lowerBound } ?? 0) <= windowDays else { return false }
            guard governorate[rj].isEmpty || governorate[rj] == place else { return false }
        }
        if members[ri].count < members[rj].count { swap(&ri, &rj) }
        parent[rj] = ri
        members[ri].append(contentsOf: members[rj])
        cannot[ri].formUnion(cannot[rj])
        reports[ri].formUnion(reports[rj])
        (days[ri], governorate[ri]) = (span, place)
        (members[rj], cannot[rj], reports[rj]) = ([], [], [])
        return true
    }

    /// The clusters among `indices`, each sorted, ordered by their first index.
    mutating func groups(of indices: [Int]) -> [[Int]] {
        var byRoot: [Int: [Int]] = [:]
        for i in indices { byRoot[root(i), default: []].append(i) }
        return byRoot.values.map { $0.sorted() }.sorted { $0[0] < $1[0] }
    }
}
