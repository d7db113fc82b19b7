/// Chooses which record pairs to compare (docs/dedup.md, "Blocking"): comparing every pair is
/// quadratic, and records far apart in time and place are rarely one person.
///
/// ```
/// pass 1  same governorate and initial,  days within the window   (sorted by day, sliding window)
/// pass 2  same given-name skeleton,      days within the window   (catches unknown/other places)
/// pass 3  a record without a day:        same given- and family-name skeletons, same or unknown governorate
/// ```
/// Pairs from one report are never candidates: a report lists different people.
struct CandidateBlocking: Sendable {
    let windowDays: Int64

    /// Candidate pairs as (smaller index, larger index), sorted.
    func pairs(_ records: [VictimRecord], _ profiles: [VictimProfile]) -> [(Int, Int)] {
        var seen = Set<UInt64>()
        var out: [(Int, Int)] = []
        func consider(_ i: Int, _ j: Int) {
            let (a, b) = i < j ? (i, j) : (j, i)
            guard a != b, records[a].id.report != records[b].id.report else { return }
            if seen.insert(UInt64(a) << 32 | UInt64(b)).inserted { out.append((a, b)) }
        }
        struct PlaceKey: Hashable {
            let governorate: String
            let initial: UInt32
        }
        var byPlace: [PlaceKey: [Int]] = [:]
        var byName: [[UInt32]: [Int]] = [:]
        var undated: [Int] = []
        var byOuterName: [[[UInt32]]: [Int]] = [:]
        for i in records.indices where !profiles[i].isUnidentified {
            if records[i].day == nil { undated.append(i) }
            if !profiles[i].governorate.isEmpty {
                for initial in profiles[i].initials { byPlace[PlaceKey(governorate: profiles[i].governorate, initial: initial), default: []].append(i) }
            }
            for key in profiles[i].nameKeys { byName[key, default: []].append(i) }
            for key in profiles[i].outerNameKeys { byOuterName[key, default: []].append(i) }
        }
        for block in byPlace.values { slide(block, records, consider) }
        for block in byName.values { slide(block, records, consider) }
        for i in undated {
            for key in profiles[i].outerNameKeys {
                for j in byOuterName[key] ?? [] {
                    let (gi, gj) = (profiles[i].governorate, profiles[j].governorate)
                    if gi.isEmpty || gj.isEmpty || gi == gj { consider(i, j) }
                }
            }
        }
        return out.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
    }

    /// Pairs the dated records of a block whose days lie within the window.
    private func slide(_ block: [Int], _ records: [VictimRecord], _ consider: (Int, Int) -> Void) {
        let dated = block.compactMap { i in records[i].day.map { (day: $0, index: i) } }
            .sorted { $0.day != $1.day ? $0.day < $1.day : $0.index < $1.index }
        var start = 0
        for (k, current) in dated.enumerated() {
            while current.day - dated[start].day > windowDays { start += 1 }
            for earlier in dated[start..<k] { consider(earlier.index, current.index) }
        }
    }
}
