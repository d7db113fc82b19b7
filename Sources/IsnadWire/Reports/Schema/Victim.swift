import IsnadMLS

/// A named victim (docs/reports.md, "Victims"). Every field but a name is optional and `nil`
/// means unknown; at least one of ``nameArabic`` and ``nameLatin`` is required.
///
/// Binary, in declaration order: `optional<opaque<V>>` for each text, `optional<uint8 code>` for
/// each closed value, `optional<VictimAge>`, `optional<Place>`.
public struct Victim: Hashable, Sendable {
    /// The name in Arabic script, exactly as typed.
    public var nameArabic: String?
    /// The name in Latin transliteration, exactly as typed.
    public var nameLatin: String?
    /// The father's name, which tells apart people of the same name.
    public var fatherName: String?
    /// Sex.
    public var sex: Sex?
    /// Age in years or band.
    public var age: VictimAge?
    /// Civilian, combatant, soldier or defector.
    public var category: PersonCategory?
    /// Unit, group or employer as the reporter gives it.
    public var affiliation: String?
    /// Military or police rank.
    public var militaryRank: String?
    /// What happened to this person.
    public var outcome: Outcome?
    /// Where the person is from or was found, if it differs from the report's place.
    public var place: Place?

    /// Creates a victim; omitted fields are unknown.
    public init(
        nameArabic: String? = nil, nameLatin: String? = nil, fatherName: String? = nil, sex: Sex? = nil,
        age: VictimAge? = nil, category: PersonCategory? = nil, affiliation: String? = nil,
        militaryRank: String? = nil, outcome: Outcome? = nil, place: Place? = nil
    ) {
        (self.nameArabic, self.nameLatin, self.fatherName, self.sex, self.age) = (nameArabic, nameLatin, fatherName, sex, age)
        (self.category, self.affiliation, self.militaryRank) = (category, affiliation, militaryRank)
        (self.outcome, self.place) = (outcome, place)
    }

    func validate(field: String) throws(WireError) {
        guard nameArabic?.isEmpty == false || nameLatin?.isEmpty == false else {
            throw WireError.schema(field, "a named victim needs a name in Arabic script or in transliteration")
        }
        try Report.checkShortText(nameArabic, field: field + ".name_arabic")
        try Report.checkShortText(nameLatin, field: field + ".name_latin")
        try Report.checkShortText(fatherName, field: field + ".father_name")
        try Report.checkShortText(affiliation, field: field + ".affiliation")
        try Report.checkShortText(militaryRank, field: field + ".military_rank")
        try age?.validate(field: field + ".age")
        try place?.validate(field: field + ".place")
    }

    func encode(to encoder: inout TLSEncoder) {
        WireCodec.writeOptionalString(nameArabic, to: &encoder)
        WireCodec.writeOptionalString(nameLatin, to: &encoder)
        WireCodec.writeOptionalString(fatherName, to: &encoder)
        encoder.writeOptional(sex) { value, encoder in value.encode(to: &encoder) }
        encoder.writeOptional(age) { value, encoder in value.encode(to: &encoder) }
        encoder.writeOptional(category) { value, encoder in value.encode(to: &encoder) }
        WireCodec.writeOptionalString(affiliation, to: &encoder)
        WireCodec.writeOptionalString(militaryRank, to: &encoder)
        encoder.writeOptional(outcome) { value, encoder in value.encode(to: &encoder) }
        encoder.writeOptional(place) { value, encoder in value.encode(to: &encoder) }
    }

    init(from decoder: inout TLSDecoder, field: String) throws(WireError) {
        let limit = Report.Limits.shortTextBytes
        func present(_ name: String) throws(WireError) -> Bool { try WireCodec.readPresence(&decoder, field: field + "." + name) }
        nameArabic = try WireCodec.readOptionalString(&decoder, field: field + ".name_arabic", maxBytes: limit)
        nameLatin = try WireCodec.readOptionalString(&decoder, field: field + ".name_latin", maxBytes: limit)
        fatherName = try WireCodec.readOptionalString(&decoder, field: field + ".father_name", maxBytes: limit)
        sex = try present("sex") ? try Sex(from: &decoder, field: field + ".sex") : nil
        age = try present("age") ? try VictimAge(from: &decoder, field: field + ".age") : nil
        category = try present("category") ? try PersonCategory(from: &decoder, field: field + ".category") : nil
        affiliation = try WireCodec.readOptionalString(&decoder, field: field + ".affiliation", maxBytes: limit)
        militaryRank = try WireCodec.readOptionalString(&decoder, field: field + ".military_rank", maxBytes: limit)
        outcome = try present("outcome") ? try Outcome(from: &decoder, field: field + ".outcome") : nil
        place = try present("place") ? try Place(from: &decoder, field: field + ".place") : nil
    }
}

extension Victim: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case nameArabic = "name_arabic", nameLatin = "name_latin", fatherName = "father_name"
        case sex, age, category, affiliation
        case militaryRank = "military_rank"
        case outcome, place
    }

    /// Decodes from JSON; absent fields are unknown; an unknown key is rejected.
    public init(from decoder: any Decoder) throws {
        try JSONFields.rejectUnknownKeys(decoder, CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        nameArabic = try c.decodeIfPresent(String.self, forKey: .nameArabic)
        nameLatin = try c.decodeIfPresent(String.self, forKey: .nameLatin)
        fatherName = try c.decodeIfPresent(String.self, forKey: .fatherName)
        sex = try c.decodeIfPresent(Sex.self, forKey: .sex)
        age = try c.decodeIfPresent(VictimAge.self, forKey: .age)
        category = try c.decodeIfPresent(PersonCategory.self, forKey: .category)
        affiliation = try c.decodeIfPresent(String.self, forKey: .affiliation)
        militaryRank = try c.decodeIfPresent(String.self, forKey: .militaryRank)
        outcome = try c.decodeIfPresent(Outcome.self, forKey: .outcome)
        place = try c.decodeIfPresent(Place.self, forKey: .place)
    }

    /// Encodes the known fields.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(nameArabic, forKey: .nameArabic)
        try c.encodeIfPresent(nameLatin, forKey: .nameLatin)
        try c.encodeIfPresent(fatherName, forKey: .fatherName)
        try c.encodeIfPresent(sex, forKey: .sex)
        try c.encodeIfPresent(age, forKey: .age)
        try c.encodeIfPresent(category, forKey: .category)
        try c.encodeIfPresent(affiliation, forKey: .affiliation)
        try c.encodeIfPresent(militaryRank, forKey: .militaryRank)
        try c.encodeIfPresent(outcome, forKey: .outcome)
        try c.encodeIfPresent(place, forKey: .place)
    }
}
