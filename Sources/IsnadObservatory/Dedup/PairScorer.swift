import IsnadWire

/// A compared pair of records: its score and the reasons behind it.
public struct ScoredPair: Hashable, Sendable {
    /// The smaller record ID.
    public let first: VictimRecordID
    /// The larger record ID.
    public let second: VictimRecordID
    /// The total of the evidence points; higher means more likely one person.
    public let score: Double
    /// Each piece of evidence with its points, in a fixed order.
    public let evidence: [PairEvidence]

    /// Whether some evidence rules out one person.
    public var isVetoed: Bool { evidence.contains(where: \.isVeto) }

    /// Whether some evidence identifies the person beyond name, time and place.
    public var isIdentified: Bool { evidence.contains(where: \.isIdentifying) }
}

/// Scores a candidate pair with additive evidence points in the manner of the Fellegi–Sunter
/// model: agreement on a discriminating field adds points, disagreement takes them away, an
/// unknown field adds nothing (docs/dedup.md, "Scoring", has the table).
struct PairScorer: Sendable {
    /// Ages further apart than this rule out one person.
    static let vetoAgeGap = 10

    func score(_ a: VictimRecord, _ pa: VictimProfile, _ b: VictimRecord, _ pb: VictimProfile) -> ScoredPair {
        var points = 0.0
        var evidence: [PairEvidence] = []
        func add(_ reason: PairEvidence, _ value: Double) {
            evidence.append(reason)
            points += value
        }

        let name = Self.nameSimilarity(pa, pb)
        add(.nameSimilarity(name), Self.namePoints(name))
        let words = min(pa.wordCount, pb.wordCount)
        if words >= 2 { add(.fullNames(words), words >= 3 ? 2 : 1) } else { add(.singleName, -1.5) }

        if let fa = pa.fatherSkeleton, let fb = pb.fatherSkeleton {
            let s = Self.wordSimilarity(fa, fb)
            if s >= 0.95 { add(.fatherAgrees(s), 2.5) } else if s < 0.85 { add(.fatherDiffers(s), -4) }
        }
        if let sa = a.victim.sex, let sb = b.victim.sex {
            if sa == sb { add(.sexAgrees, 0.5) } else { add(.sexDiffers, -12) }
        }
        scoreAges(a.victim.age, b.victim.age, add)
        if let da = a.day, let db = b.day {
            let days = abs(da - db)
            add(.daysApart(days), days == 0 ? 1 : days == 1 ? 0.5 : 0)
        }
        if !pa.governorate.isEmpty, !pb.governorate.isEmpty, pa.governorate != pb.governorate { add(.governorateDiffers, -2) }
        if !pa.locality.isEmpty, !pb.locality.isEmpty {
            if pa.locality == pb.locality { add(.localityAgrees, 1) } else { add(.localityDiffers, -1) }
        }
        if let ca = a.victim.category, let cb = b.victim.category {
            if ca == cb { add(.categoryAgrees, 0.25) } else { add(.categoryDiffers, -1.5) }
        }
        if let oa = a.victim.outcome, let ob = b.victim.outcome, oa != ob { add(.outcomeDiffers, -1) }

        let (first, second) = a.id < b.id ? (a.id, b.id) : (b.id, a.id)
        return ScoredPair(first: first, second: second, score: points, evidence: evidence)
    }

    private func scoreAges(_ a: VictimAge?, _ b: VictimAge?, _ add: (PairEvidence, Double) -> Void) {
        switch (a, b) {
        case (.years(let x), .years(let y)):
            let gap = abs(Int(x) - Int(y))
            let points: Double = switch gap {
            case 0...1: 2
            case 2...3: 1
            case 4...6: -1
            case 7...Self.vetoAgeGap: -3
            default: -12
            }
            add(.ageGap(gap), points)
        case (.years(let years), .band(let band)), (.band(let band), .years(let years)):
            if Self.band(band, admits: years) { add(.ageBandAgrees, 0.25) } else { add(.ageBandContradicts, -6) }
        case (.band(let x), .band(let y)):
            if x == y { add(.ageBandAgrees, 0.25) } else { add(.ageBandContradicts, -6) }
        default:
            break
        }
    }

    /// Whether an age in years fits a band, with one year's slack at each boundary (ages are
    /// often given as of a different date, or rounded).
    static func band(_ band: AgeBand, admits years: UInt8) -> Bool {
        switch band {
        case .child: years <= 18
        case .adult: years >= 17 && years <= 60
        case .elderly: years >= 59
        }
    }

    static func namePoints(_ similarity: Double) -> Double {
        switch similarity {
        case 0.97...: 5
        case 0.93..<0.97: 4
        case 0.88..<0.93: 2.5
        case 0.80..<0.88: 0.5
        default: -4
        }
    }

    /// The best agreement between the names: folded forms in a shared script, and skeletons
    /// across scripts (slightly discounted: a skeleton has no vowels, so Samir and Samar meet),
    /// each compared whole and word by word.
    static func nameSimilarity(_ a: VictimProfile, _ b: VictimProfile) -> Double {
        var best = 0.0
        if let x = a.arabic, let y = b.arabic { best = max(best, JaroWinkler.similarity(x, y)) }
        if let x = a.latin, let y = b.latin { best = max(best, JaroWinkler.similarity(x, y)) }
        for (i, x) in a.skeletons.enumerated() {
            for (j, y) in b.skeletons.enumerated() {
                let whole = JaroWinkler.similarity(x, y)
                let words = wordwise(a.skeletonWords[i], b.skeletonWords[j])
                best = max(best, skeletonDiscount * max(whole, words))
            }
        }
        return best
    }

    static let skeletonDiscount = 0.98

    /// Monge–Elkan similarity of the shorter name's words into the longer name's, for names
    /// that give the same person with and without a father's or family name; only for names of
    /// two words or more, since one shared word says little. Slightly discounted for the missing words.
    static func wordwise(_ a: [[UInt32]], _ b: [[UInt32]]) -> Double {
        let (short, long) = a.count <= b.count ? (a, b) : (b, a)
        guard short.count >= 2 else { return 0 }
        // Each word of the longer name serves one word of the shorter (so "Omar Muhammad
        // al-Muhammad" does not match "Omar Muhammad Haddad" twice over on "Muhammad").
        var used = [Bool](repeating: false, count: long.count)
        var total = 0.0
        for word in short {
            var best = -1
            var bestScore = 0.0
            for (k, other) in long.enumerated() where !used[k] {
                let s = wordSimilarity(word, other)
                if best < 0 || s > bestScore { (best, bestScore) = (k, s) }
            }
            if best >= 0 { used[best] = true }
            total += bestScore
        }
        let missing = Double(long.count - short.count)
        return total / Double(short.count) - 0.02 * missing
    }

    /// Two skeleton words: 1 when equal, else Jaro–Winkler less 0.1. Skeletons are short, so one
    /// letter apart (MHMD, HMD: Muhammad, Hamid) is usually another name, not a typo.
    static func wordSimilarity(_ a: [UInt32], _ b: [UInt32]) -> Double {
        a == b ? 1 : max(0, JaroWinkler.similarity(a, b) - 0.1)
    }
}
