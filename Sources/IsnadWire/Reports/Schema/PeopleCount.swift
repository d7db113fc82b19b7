import IsnadMLS

/// A number of people that is known exactly, known only as a lower bound, or not known.
///
/// Unknown is never 0 (docs/reports.md, "Counts"). JSON: a number for ``exactly(_:)``,
/// `{"at_least": n}` for ``atLeast(_:)``, the string `"unknown"` (or an absent key) for ``unknown``.
/// Binary: `uint8 kind` (0 unknown, 1 exactly, 2 at least), then `uint32 value` unless unknown.
public enum PeopleCount: Hashable, Sendable {
    /// Not known.
    case unknown
    /// Exactly this many.
    case exactly(UInt32)
    /// At least this many ("at least 55 people were killed").
    case atLeast(UInt32)

    /// The smallest number the count allows (0 when unknown).
    var lowerBound: UInt64 {
        switch self {
        case .unknown: 0
        case .exactly(let n), .atLeast(let n): UInt64(n)
        }
    }

    func encode(to encoder: inout TLSEncoder) {
        switch self {
        case .unknown: encoder.write(UInt8(0))
        case .exactly(let n): encoder.write(UInt8(1)); encoder.write(n)
        case .atLeast(let n): encoder.write(UInt8(2)); encoder.write(n)
        }
    }

    init(from decoder: inout TLSDecoder, field: String) throws(WireError) {
        let kind = try WireCodec.run(field) { try decoder.readUInt8(field) }
        switch kind {
        case 0: self = .unknown
        case 1: self = .exactly(try WireCodec.run(field) { try decoder.readUInt32(field) })
        case 2: self = .atLeast(try WireCodec.run(field) { try decoder.readUInt32(field) })
        default: throw WireError.malformed(field, "count kind \(kind) is not 0, 1 or 2")
        }
    }
}

extension PeopleCount: Codable {
    private enum Keys: String, CodingKey, CaseIterable { case atLeast = "at_least" }

    /// Decodes `n`, `{"at_least": n}` or `"unknown"`.
    public init(from decoder: any Decoder) throws {
        let single = try decoder.singleValueContainer()
        if let n = try? single.decode(UInt32.self) {
            self = .exactly(n)
        } else if let text = try? single.decode(String.self) {
            guard text == "unknown" else { throw JSONFields.invalid(decoder, "a count is a number, {\"at_least\": n} or \"unknown\"") }
            self = .unknown
        } else if (try? decoder.container(keyedBy: Keys.self)) != nil {
            try JSONFields.rejectUnknownKeys(decoder, Keys.self)
            let container = try decoder.container(keyedBy: Keys.self)
            guard let n = try? container.decode(UInt32.self, forKey: .atLeast) else {
                throw JSONFields.invalid(decoder, "\"at_least\" needs a whole number from 0 to 4294967295")
            }
            self = .atLeast(n)
        } else {
            throw JSONFields.invalid(decoder, "a count is a whole number from 0 to 4294967295, {\"at_least\": n} or \"unknown\"")
        }
    }

    /// Encodes `n`, `{"at_least": n}` or `"unknown"`.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .unknown:
            var single = encoder.singleValueContainer()
            try single.encode("unknown")
        case .exactly(let n):
            var single = encoder.singleValueContainer()
            try single.encode(n)
        case .atLeast(let n):
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(n, forKey: .atLeast)
        }
    }
}
