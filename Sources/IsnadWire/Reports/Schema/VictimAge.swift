import IsnadMLS

/// A victim's age: in years when known, otherwise a band (docs/reports.md, "Victims").
///
/// JSON: a number of years, or an age band name (`"child"`). Binary: `uint8 kind` (1 years,
/// 2 band), then `uint8 years` or the band's code.
public enum VictimAge: Hashable, Sendable {
    /// Age in whole years, 0 … ``maximumYears``.
    case years(UInt8)
    /// Only the band is known.
    case band(AgeBand)

    /// The largest age accepted.
    public static let maximumYears: UInt8 = 130

    func validate(field: String) throws(WireError) {
        if case .years(let years) = self, years > Self.maximumYears {
            throw WireError.schema(field, "an age is at most \(Self.maximumYears) years")
        }
    }

    func encode(to encoder: inout TLSEncoder) {
        switch self {
        case .years(let years): encoder.write(UInt8(1)); encoder.write(years)
        case .band(let band): encoder.write(UInt8(2)); band.encode(to: &encoder)
        }
    }

    init(from decoder: inout TLSDecoder, field: String) throws(WireError) {
        let kind = try WireCodec.run(field) { try decoder.readUInt8(field) }
        switch kind {
        case 1: self = .years(try WireCodec.run(field) { try decoder.readUInt8(field) })
        case 2: self = .band(try AgeBand(from: &decoder, field: field))
        default: throw WireError.malformed(field, "age kind \(kind) is not 1 or 2")
        }
    }
}

extension VictimAge: Codable {
    /// Decodes a number of years or an age band name.
    public init(from decoder: any Decoder) throws {
        let single = try decoder.singleValueContainer()
        if let years = try? single.decode(UInt8.self) {
            self = .years(years)
        } else if let name = try? single.decode(String.self), let band = AgeBand(rawValue: name) {
            self = .band(band)
        } else {
            throw JSONFields.invalid(decoder, "an age is a whole number of years or one of \"child\", \"adult\", \"elderly\"")
        }
    }

    /// Encodes the years as a number or the band as its name.
    public func encode(to encoder: any Encoder) throws {
        var single = encoder.singleValueContainer()
        switch self {
        case .years(let years): try single.encode(years)
        case .band(let band): try single.encode(band)
        }
    }
}
