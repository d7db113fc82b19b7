import IsnadMLS

/// A WGS 84 position in whole microdegrees, with how far from it the place may be
/// (docs/reports.md, "Place").
///
/// Integers, not floating point, so the signed bytes are exact. JSON gives decimal degrees
/// (`{"latitude": 36.2021, "longitude": 37.1343, "precision_meters": 500}`), rounded to six decimals.
/// Binary: `uint32 latitude`, `uint32 longitude` (two's complement microdegrees), `uint32 precision_meters`.
public struct Coordinates: Hashable, Sendable {
    /// Latitude in microdegrees, −90 000 000 … 90 000 000.
    public var latitudeMicrodegrees: Int32
    /// Longitude in microdegrees, −180 000 000 … 180 000 000.
    public var longitudeMicrodegrees: Int32
    /// The radius in metres within which the place lies; 0 when the reporter gives an exact spot.
    public var precisionMeters: UInt32

    /// Creates coordinates.
    public init(latitudeMicrodegrees: Int32, longitudeMicrodegrees: Int32, precisionMeters: UInt32) {
        self.latitudeMicrodegrees = latitudeMicrodegrees
        self.longitudeMicrodegrees = longitudeMicrodegrees
        self.precisionMeters = precisionMeters
    }

    func validate(field: String) throws(WireError) {
        guard abs(Int64(latitudeMicrodegrees)) <= 90_000_000 else {
            throw WireError.schema(field + ".latitude", "latitude lies between -90 and 90 degrees")
        }
        guard abs(Int64(longitudeMicrodegrees)) <= 180_000_000 else {
            throw WireError.schema(field + ".longitude", "longitude lies between -180 and 180 degrees")
        }
    }

    func encode(to encoder: inout TLSEncoder) {
        encoder.write(UInt32(bitPattern: latitudeMicrodegrees))
        encoder.write(UInt32(bitPattern: longitudeMicrodegrees))
        encoder.write(precisionMeters)
    }

    init(from decoder: inout TLSDecoder, field: String) throws(WireError) {
        latitudeMicrodegrees = Int32(bitPattern: try WireCodec.run(field) { try decoder.readUInt32(field) })
        longitudeMicrodegrees = Int32(bitPattern: try WireCodec.run(field) { try decoder.readUInt32(field) })
        precisionMeters = try WireCodec.run(field) { try decoder.readUInt32(field) }
    }
}

extension Coordinates: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case latitude, longitude
        case precisionMeters = "precision_meters"
    }

    /// Decodes decimal degrees and a precision in metres.
    public init(from decoder: any Decoder) throws {
        try JSONFields.rejectUnknownKeys(decoder, CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func micro(_ key: CodingKeys, _ limit: Double) throws -> Int32 {
            let degrees = try c.decode(Double.self, forKey: key)
            guard degrees.isFinite, abs(degrees) <= limit else {
                throw WireError(
                    .invalidJSONValue, "\(key.stringValue) lies between -\(Int(limit)) and \(Int(limit)) degrees",
                    field: JSONFields.path(decoder.codingPath + [key]), specRule: "docs/reports.md §Place")
            }
            return Int32((degrees * 1_000_000).rounded())
        }
        latitudeMicrodegrees = try micro(.latitude, 90)
        longitudeMicrodegrees = try micro(.longitude, 180)
        precisionMeters = try c.decode(UInt32.self, forKey: .precisionMeters)
    }

    /// Encodes decimal degrees and the precision in metres.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Double(latitudeMicrodegrees) / 1_000_000, forKey: .latitude)
        try c.encode(Double(longitudeMicrodegrees) / 1_000_000, forKey: .longitude)
        try c.encode(precisionMeters, forKey: .precisionMeters)
    }
}
