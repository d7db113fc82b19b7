import IsnadMLS

/// Where something happened: administrative names as the reporter wrote them, and optional
/// coordinates (docs/reports.md, "Place"). Every part may be unknown (`nil`).
///
/// Binary: `optional<opaque<V>>` governorate, district, locality (UTF-8), `optional<Coordinates>`.
public struct Place: Hashable, Sendable {
    /// The governorate (first-level division), e.g. "حلب" or "Aleppo".
    public var governorate: String?
    /// The district (second-level division).
    public var district: String?
    /// The town, village or neighbourhood.
    public var locality: String?
    /// The position, if the reporter gives one.
    public var coordinates: Coordinates?

    /// Creates a place; omitted parts are unknown.
    public init(governorate: String? = nil, district: String? = nil, locality: String? = nil, coordinates: Coordinates? = nil) {
        self.governorate = governorate
        self.district = district
        self.locality = locality
        self.coordinates = coordinates
    }

    func validate(field: String) throws(WireError) {
        try Report.checkShortText(governorate, field: field + ".governorate")
        try Report.checkShortText(district, field: field + ".district")
        try Report.checkShortText(locality, field: field + ".locality")
        try coordinates?.validate(field: field + ".coordinates")
    }

    func encode(to encoder: inout TLSEncoder) {
        WireCodec.writeOptionalString(governorate, to: &encoder)
        WireCodec.writeOptionalString(district, to: &encoder)
        WireCodec.writeOptionalString(locality, to: &encoder)
        encoder.writeOptional(coordinates) { value, encoder in value.encode(to: &encoder) }
    }

    init(from decoder: inout TLSDecoder, field: String) throws(WireError) {
        let limit = Report.Limits.shortTextBytes
        governorate = try WireCodec.readOptionalString(&decoder, field: field + ".governorate", maxBytes: limit)
        district = try WireCodec.readOptionalString(&decoder, field: field + ".district", maxBytes: limit)
        locality = try WireCodec.readOptionalString(&decoder, field: field + ".locality", maxBytes: limit)
        coordinates = try WireCodec.readPresence(&decoder, field: field + ".coordinates")
            ? try Coordinates(from: &decoder, field: field + ".coordinates") : nil
    }
}

extension Place: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable { case governorate, district, locality, coordinates }

    /// Decodes from JSON; absent parts are unknown; an unknown key is rejected.
    public init(from decoder: any Decoder) throws {
        try JSONFields.rejectUnknownKeys(decoder, CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        governorate = try c.decodeIfPresent(String.self, forKey: .governorate)
        district = try c.decodeIfPresent(String.self, forKey: .district)
        locality = try c.decodeIfPresent(String.self, forKey: .locality)
        coordinates = try c.decodeIfPresent(Coordinates.self, forKey: .coordinates)
    }

    /// Encodes the known parts.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(governorate, forKey: .governorate)
        try c.encodeIfPresent(district, forKey: .district)
        try c.encodeIfPresent(locality, forKey: .locality)
        try c.encodeIfPresent(coordinates, forKey: .coordinates)
    }
}
