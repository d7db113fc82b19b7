import IsnadWire

/// Seeded random reports that satisfy the schema, exercising every optional and every value.
enum Arbitrary {
    /// Text fragments in Arabic script (precomposed and with combining marks), Latin with and
    /// without combining accents, digits, emoji and newlines, so encoders meet real input.
    static let fragments = [
        "محمد", "عبد الله", "حلب", "دير الزور", "الحسكة", "مُحَمَّد", "Muhammad", "Abd al-Rahman", "Aleppo",
        "Cafe\u{301}", "Caf\u{E9}", "Ḥama", "42", "🕊️", "\n", " ", "Şêx Meqsûd", "ـ", "\u{200F}",
    ]

    static func text<G: RandomNumberGenerator>(_ g: inout G, maxFragments: Int = 4) -> String {
        (0..<Int.random(in: 1...maxFragments, using: &g)).map { _ in fragments.randomElement(using: &g)! }.joined()
    }

    static func optionalText<G: RandomNumberGenerator>(_ g: inout G) -> String? {
        Bool.random(using: &g) ? text(&g) : nil
    }

    static func pick<T: CaseIterable, G: RandomNumberGenerator>(_: T.Type, _ g: inout G) -> T {
        Array(T.allCases).randomElement(using: &g)!
    }

    static func maybe<T, G: RandomNumberGenerator>(_ g: inout G, _ make: (inout G) -> T) -> T? {
        Bool.random(using: &g) ? make(&g) : nil
    }

    static func time<G: RandomNumberGenerator>(_ g: inout G) -> ReportTime {
        // 1990 … 2026, in the past of the fixed test clock.
        let seconds = Int64.random(in: 631_152_000...1_790_000_000, using: &g)
        let precision = pick(TimePrecision.self, &g)
        switch precision {
        case .unknown: return .unknown
        case .exact, .approximate: return ReportTime(precision: precision, secondsSinceEpoch: seconds)
        case .day: return ReportTime(precision: .day, secondsSinceEpoch: seconds - seconds % 86_400)
        case .month:
            // The first of a month: step back day by day until the day-of-month is 1.
            var day = seconds - seconds % 86_400
            while (try? ReportTime(precision: .month, secondsSinceEpoch: day).validate(field: "t")) == nil { day -= 86_400 }
            return ReportTime(precision: .month, secondsSinceEpoch: day)
        }
    }

    static func count<G: RandomNumberGenerator>(_ g: inout G, max: UInt32) -> PeopleCount {
        switch UInt64.random(in: 0..<3, using: &g) {
        case 0: .unknown
        case 1: .exactly(UInt32.random(in: 0...max, using: &g))
        default: .atLeast(UInt32.random(in: 0...max, using: &g))
        }
    }

    static func casualtyCounts<G: RandomNumberGenerator>(_ g: inout G) -> CasualtyCounts {
        var counts = CasualtyCounts()
        // Breakdowns of at most 30 each stay within a total of at least 90 in every group.
        counts.total = Bool.random(using: &g) ? .exactly(UInt32.random(in: 120...100_000, using: &g)) : count(&g, max: 4_000_000_000)
        counts.civilians = count(&g, max: 30)
        counts.combatants = count(&g, max: 30)
        counts.soldiers = count(&g, max: 30)
        counts.defectors = count(&g, max: 30)
        counts.female = count(&g, max: 30)
        counts.male = count(&g, max: 30)
        counts.children = count(&g, max: 30)
        counts.adults = count(&g, max: 30)
        counts.elderly = count(&g, max: 30)
        return counts
    }

    static func place<G: RandomNumberGenerator>(_ g: inout G) -> Place {
        Place(
            governorate: optionalText(&g), district: optionalText(&g), locality: optionalText(&g),
            coordinates: maybe(&g) { g in
                Coordinates(
                    latitudeMicrodegrees: Int32.random(in: -90_000_000...90_000_000, using: &g),
                    longitudeMicrodegrees: Int32.random(in: -180_000_000...180_000_000, using: &g),
                    precisionMeters: UInt32.random(in: 0...50_000, using: &g))
            })
    }

    static func victim<G: RandomNumberGenerator>(_ g: inout G) -> Victim {
        let arabic = optionalText(&g)
        return Victim(
            nameArabic: arabic, nameLatin: arabic == nil ? text(&g) : optionalText(&g), fatherName: optionalText(&g),
            sex: maybe(&g) { pick(Sex.self, &$0) },
            age: maybe(&g) { g in
                Bool.random(using: &g) ? .years(UInt8.random(in: 0...130, using: &g)) : .band(pick(AgeBand.self, &g))
            },
            category: maybe(&g) { pick(PersonCategory.self, &$0) }, affiliation: optionalText(&g),
            militaryRank: optionalText(&g), outcome: maybe(&g) { pick(Outcome.self, &$0) },
            place: maybe(&g) { place(&$0) })
    }

    static func evidence<G: RandomNumberGenerator>(_ g: inout G) -> EvidenceItem {
        EvidenceItem(
            sha256: (0..<32).map { _ in UInt8.random(in: 0...255, using: &g) },
            mediaType: ["image/jpeg", "video/mp4", "audio/ogg", "application/pdf", "image/heic"].randomElement(using: &g)!,
            size: UInt64.random(in: 0...UInt64.max, using: &g), captureTime: time(&g), captureDevice: optionalText(&g))
    }

    static func report<G: RandomNumberGenerator>(_ g: inout G) -> Report {
        var counts = ReportCounts()
        counts.killed = maybe(&g) { casualtyCounts(&$0) }
        counts.injured = maybe(&g) { casualtyCounts(&$0) }
        counts.detained = maybe(&g) { casualtyCounts(&$0) }
        counts.disappeared = maybe(&g) { casualtyCounts(&$0) }
        counts.defected = maybe(&g) { casualtyCounts(&$0) }
        counts.displaced = maybe(&g) { casualtyCounts(&$0) }
        return Report(
            incidentType: pick(IncidentType.self, &g), occurred: time(&g), place: place(&g), counts: counts,
            victims: (0..<Int.random(in: 0...4, using: &g)).map { _ in victim(&g) },
            perpetrator: pick(Perpetrator.self, &g), narrative: Bool.random(using: &g) ? text(&g, maxFragments: 20) : "",
            evidence: (0..<Int.random(in: 0...3, using: &g)).map { _ in evidence(&g) })
    }

    /// A small report with every kind of field set, for tests that need one fixed value.
    static var sample: Report {
        Report(
            incidentType: .shelling,
            occurred: ReportTime(precision: .day, secondsSinceEpoch: 1_763_596_800),  // 2025-11-20
            place: Place(governorate: "حلب", locality: "الشعار"),
            counts: ReportCounts(killed: CasualtyCounts(total: .atLeast(3))),
            victims: [Victim(nameArabic: "أحمد", nameLatin: "Ahmad", sex: .male, age: .years(34), outcome: .killed)],
            perpetrator: .governmentForces, narrative: "Three shells hit the market.",
            evidence: [EvidenceItem(sha256: Array(repeating: 7, count: 32), mediaType: "image/jpeg", size: 1234)])
    }
}
