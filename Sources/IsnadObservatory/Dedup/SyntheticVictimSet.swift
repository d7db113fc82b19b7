import IsnadWire

/// A seeded synthetic set of victim records with known duplicates, to measure de-duplication
/// (docs/dedup.md, "Synthetic set"). Each person is reported 1–4 times by different reporters,
/// in Arabic script, in transliteration or both, with spelling variants, hamza/ta marbuta/alef
/// maqsura variants, tashkeel, tatweel, typos, missing fields, noisy ages and shifted days.
/// One in five people is a namesake of an earlier person (same given and family name, sex,
/// category and governorate, within the following week, another father, age and locality): the
/// hard negatives of real data.
public struct SyntheticVictimSet: Sendable {
    /// The records, in generation order.
    public let records: [VictimRecord]
    /// The person behind every identified record; unidentified records are absent.
    public let person: [VictimRecordID: Int]
    /// How many people (excluding unidentified records) were generated.
    public let people: Int

    /// Generates a set.
    /// - Parameters:
    ///   - people: the number of distinct identified people.
    ///   - seed: the generator seed; one seed gives one set.
    ///   - days: the span of incident days.
    public static func make(people: Int, seed: UInt64, days: Int = 365) -> SyntheticVictimSet {
        var builder = Builder(generator: SeededGenerator(seed: seed), seed: seed, days: days)
        for p in 0..<people { builder.addPerson(p) }
        return SyntheticVictimSet(records: builder.records, person: builder.person, people: people)
    }

    /// Pairwise precision, recall and F1 of a de-duplication result against the known people.
    public func evaluate(_ result: DedupResult) -> PairwiseMetrics {
        PairwiseMetrics(clusters: result.clusters.map(\.records) + result.unidentified.map { [$0] }, truth: person)
    }

    /// Decisions a perfect reviewer would take on the queued pairs: what the figures would be
    /// after review, the way an observatory works.
    public func perfectDecisions(for result: DedupResult) -> [DedupDecision] {
        result.review.map { item in
            let same = person[item.pair.first] != nil && person[item.pair.first] == person[item.pair.second]
            return DedupDecision(item.pair.first, item.pair.second, same ? .same : .different)
        }
    }
}

private struct Builder {
    struct Person {
        let sex: Sex
        let given: SyntheticNames.Name
        let father: SyntheticNames.Name
        let family: SyntheticNames.Name
        let age: UInt8
        let category: PersonCategory
        let governorate: String
        let locality: String
        let day: Int
    }

    var generator: SeededGenerator
    let seed: UInt64
    let days: Int
    var records: [VictimRecord] = []
    var person: [VictimRecordID: Int] = [:]
    var people: [Person] = []
    var reports: UInt64 = 0

    init(generator: SeededGenerator, seed: UInt64, days: Int) {
        self.generator = generator
        self.seed = seed
        self.days = days
    }

    mutating func addPerson(_ p: Int) {
        let subject = makePerson()
        people.append(subject)
        let copies = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 4, 4][generator.below(20)]
        for _ in 0..<copies {
            let record = makeRecord(subject)
            records.append(record)
            person[record.id] = p
        }
        if generator.chance(4) {
            var victim = Victim(nameArabic: generator.pick(SyntheticNames.unidentified))
            victim.sex = generator.chance(50) ? subject.sex : nil
            records.append(wrap(victim, day: subject.day, governorate: subject.governorate, locality: nil))
        }
    }

    mutating func makePerson() -> Person {
        if let earlier = people.isEmpty || !generator.chance(20) ? nil : people[generator.below(people.count)] {
            return Person(
                sex: earlier.sex, given: earlier.given, father: generator.pick(SyntheticNames.male), family: earlier.family,
                age: UInt8(1 + generator.below(80)), category: earlier.category, governorate: earlier.governorate,
                locality: generator.pick(SyntheticNames.localities), day: min(days - 1, earlier.day + generator.below(7)))
        }
        let sex: Sex = generator.chance(75) ? .male : .female
        let categories: [PersonCategory] = [.civilian, .civilian, .civilian, .civilian, .civilian, .civilian, .civilian, .soldier, .combatant, .defector]
        return Person(
            sex: sex, given: generator.pick(sex == .male ? SyntheticNames.male : SyntheticNames.female),
            father: generator.pick(SyntheticNames.male), family: generator.pick(SyntheticNames.family),
            age: UInt8(1 + generator.below(80)), category: generator.pick(categories),
            governorate: generator.pick(SyntheticNames.governorates), locality: generator.pick(SyntheticNames.localities),
            day: generator.below(days))
    }

    mutating func makeRecord(_ s: Person) -> VictimRecord {
        let script = generator.below(100)
        let withFatherInName = generator.chance(40)
        var victim = Victim()
        if script < 65 {
            let parts = [s.given.arabic] + (withFatherInName ? [s.father.arabic] : []) + [s.family.arabic]
            victim.nameArabic = parts.map { noisyArabic($0) }.joined(separator: " ")
        }
        if script >= 40 {
            let parts = [generator.pick(s.given.latin)] + (withFatherInName ? [generator.pick(s.father.latin)] : [])
                + [generator.pick(s.family.latin)]
            victim.nameLatin = noisyLatin(parts.joined(separator: " "))
        }
        if generator.chance(40) {
            victim.fatherName = victim.nameArabic != nil ? noisyArabic(s.father.arabic) : generator.pick(s.father.latin)
        }
        if generator.chance(75) { victim.sex = s.sex }
        if generator.chance(55) {
            if generator.chance(80) {
                let noise = generator.chance(30) ? generator.below(3) - 1 : 0
                victim.age = .years(UInt8(max(0, Int(s.age) + noise)))
            } else {
                victim.age = .band(s.age < 18 ? .child : s.age < 60 ? .adult : .elderly)
            }
        }
        if generator.chance(60) { victim.category = s.category }
        victim.outcome = .killed
        let shift = generator.chance(20) ? (generator.chance(25) ? 2 : 1) * (generator.chance(50) ? -1 : 1) : 0
        return wrap(
            victim, day: generator.chance(90) ? max(0, s.day + shift) : nil,
            governorate: generator.chance(92) ? s.governorate : nil, locality: generator.chance(50) ? s.locality : nil)
    }

    /// A single-victim report of its own, from one of 300 reporters.
    mutating func wrap(_ victim: Victim, day: Int?, governorate: String?, locality: String?) -> VictimRecord {
        reports += 1
        var bytes = [UInt8](repeating: 0, count: 32)
        for k in 0..<8 {
            bytes[k] = UInt8(truncatingIfNeeded: reports >> (56 - 8 * UInt64(k)))
            bytes[8 + k] = UInt8(truncatingIfNeeded: seed >> (8 * UInt64(k)))
        }
        // 32 bytes by construction.
        let commitment = (try? ReportCommitment(bytes: bytes)) ?? { preconditionFailure("32 bytes rejected") }()
        let reporter = UInt8(truncatingIfNeeded: generator.below(300))
        let time = day.map { ReportTime(precision: .day, secondsSinceEpoch: 1_735_689_600 + Int64($0) * 86_400) } ?? .unknown
        return VictimRecord(
            id: VictimRecordID(report: commitment, index: 0), reporterKey: [UInt8](repeating: reporter, count: 32),
            victim: victim, occurred: time, reportPlace: Place(governorate: governorate, locality: locality))
    }

    mutating func noisyArabic(_ word: String) -> String {
        var text = word
        if generator.chance(20) { text = text.replacingOccurrences(of: "أ", with: "ا").replacingOccurrences(of: "إ", with: "ا") }
        if generator.chance(15) { text = text.replacingOccurrences(of: "ة", with: "ه") }
        if generator.chance(10) { text = text.replacingOccurrences(of: "ى", with: "ي") }
        var letters = Array(text)
        if generator.chance(20), letters.count > 1 {
            letters.insert(generator.pick(["\u{064E}", "\u{064F}", "\u{0650}", "\u{0651}", "\u{0652}"]), at: 1 + generator.below(letters.count - 1))
        }
        if generator.chance(10), letters.count > 2 { letters.insert("\u{0640}", at: 1 + generator.below(letters.count - 2)) }
        if generator.chance(5), letters.count > 3 { letters.remove(at: 1 + generator.below(letters.count - 2)) }
        return String(letters)
    }

    mutating func noisyLatin(_ name: String) -> String {
        var letters = Array(name)
        if generator.chance(10), letters.count > 4 {
            let i = 1 + generator.below(letters.count - 2)
            switch generator.below(3) {
            case 0: letters.swapAt(i, i + 1)
            case 1: letters.remove(at: i)
            default: letters.insert(letters[i], at: i)
            }
        }
        let text = String(letters)
        return generator.chance(20) ? text.lowercased() : generator.chance(10) ? text.uppercased() : text
    }
}
