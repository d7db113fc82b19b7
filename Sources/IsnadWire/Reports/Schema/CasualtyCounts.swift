import IsnadMLS

/// How many people one outcome affected, in total and broken down by category, sex and age band
/// (docs/reports.md, "Counts"). Every count defaults to ``PeopleCount/unknown``, never to 0.
///
/// Binary: the ten counts in declaration order.
public struct CasualtyCounts: Hashable, Sendable {
    /// Everyone affected.
    public var total: PeopleCount = .unknown
    /// Civilians (``PersonCategory/civilian``).
    public var civilians: PeopleCount = .unknown
    /// Members of non-state armed groups.
    public var combatants: PeopleCount = .unknown
    /// Members of state armed or security forces.
    public var soldiers: PeopleCount = .unknown
    /// Defectors.
    public var defectors: PeopleCount = .unknown
    /// Women and girls.
    public var female: PeopleCount = .unknown
    /// Men and boys.
    public var male: PeopleCount = .unknown
    /// Under 18.
    public var children: PeopleCount = .unknown
    /// 18 to 59.
    public var adults: PeopleCount = .unknown
    /// 60 or older.
    public var elderly: PeopleCount = .unknown

    /// Creates counts that are all unknown; set the ones the reporter knows.
    public init() {}

    /// Creates counts with a known total and everything else unknown.
    public init(total: PeopleCount) { self.total = total }

    var all: [PeopleCount] { [total, civilians, combatants, soldiers, defectors, female, male, children, adults, elderly] }

    /// Checks that no breakdown claims more people than an exact total.
    /// - Throws: ``WireError/Code/schemaViolation``.
    func validate(field: String) throws(WireError) {
        guard case .exactly(let total) = total else { return }
        let groups: [(String, [PeopleCount])] = [
            ("category", [civilians, combatants, soldiers, defectors]),
            ("sex", [female, male]),
            ("age band", [children, adults, elderly]),
        ]
        for (name, counts) in groups where counts.reduce(0, { $0 + $1.lowerBound }) > UInt64(total) {
            throw WireError.schema(field, "the counts by \(name) add up to more than the exact total")
        }
    }

    func encode(to encoder: inout TLSEncoder) {
        for count in all { count.encode(to: &encoder) }
    }

    init(from decoder: inout TLSDecoder, field: String) throws(WireError) {
        total = try PeopleCount(from: &decoder, field: field + ".total")
        civilians = try PeopleCount(from: &decoder, field: field + ".civilians")
        combatants = try PeopleCount(from: &decoder, field: field + ".combatants")
        soldiers = try PeopleCount(from: &decoder, field: field + ".soldiers")
        defectors = try PeopleCount(from: &decoder, field: field + ".defectors")
        female = try PeopleCount(from: &decoder, field: field + ".female")
        male = try PeopleCount(from: &decoder, field: field + ".male")
        children = try PeopleCount(from: &decoder, field: field + ".children")
        adults = try PeopleCount(from: &decoder, field: field + ".adults")
        elderly = try PeopleCount(from: &decoder, field: field + ".elderly")
    }
}

extension CasualtyCounts: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case total, civilians, combatants, soldiers, defectors, female, male, children, adults, elderly
    }

    /// Decodes from JSON; an absent count is unknown; an unknown key is rejected.
    public init(from decoder: any Decoder) throws {
        try JSONFields.rejectUnknownKeys(decoder, CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func count(_ key: CodingKeys) throws -> PeopleCount { try c.decodeIfPresent(PeopleCount.self, forKey: key) ?? .unknown }
        total = try count(.total)
        civilians = try count(.civilians)
        combatants = try count(.combatants)
        soldiers = try count(.soldiers)
        defectors = try count(.defectors)
        female = try count(.female)
        male = try count(.male)
        children = try count(.children)
        adults = try count(.adults)
        elderly = try count(.elderly)
    }

    /// Encodes every count, unknown ones as `"unknown"`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        for (key, count) in zip(CodingKeys.allCases, all) { try c.encode(count, forKey: key) }
    }
}
