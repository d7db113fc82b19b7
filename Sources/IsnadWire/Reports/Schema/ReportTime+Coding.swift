import IsnadMLS

extension ReportTime {
    /// Binary: `uint8 precision`, `optional<uint64 seconds>` (two's complement).
    func encode(to encoder: inout TLSEncoder) {
        precision.encode(to: &encoder)
        encoder.writeOptional(secondsSinceEpoch) { seconds, encoder in encoder.write(UInt64(bitPattern: seconds)) }
    }

    init(from decoder: inout TLSDecoder, field: String) throws(WireError) {
        precision = try TimePrecision(from: &decoder, field: field + ".precision")
        if try WireCodec.readPresence(&decoder, field: field + ".value") {
            secondsSinceEpoch = Int64(bitPattern: try WireCodec.run(field + ".value") { try decoder.readUInt64() })
        } else {
            secondsSinceEpoch = nil
        }
    }
}

extension ReportTime: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable { case precision, value }

    /// Decodes `{"precision": …, "value": …}`; the value's form must match the precision.
    public init(from decoder: any Decoder) throws {
        try JSONFields.rejectUnknownKeys(decoder, CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        precision = try c.decode(TimePrecision.self, forKey: .precision)
        guard let text = try c.decodeIfPresent(String.self, forKey: .value) else {
            secondsSinceEpoch = nil
            return
        }
        guard let seconds = Self.parse(text, precision: precision) else {
            let form = switch precision {
            case .exact, .approximate: "YYYY-MM-DDTHH:MM:SSZ (UTC)"
            case .day: "YYYY-MM-DD"
            case .month: "YYYY-MM"
            case .unknown: "absent"
            }
            throw WireError(
                .invalidJSONValue, "for precision '\(precision.rawValue)' the value is \(form), a real date",
                field: JSONFields.path(decoder.codingPath + [CodingKeys.value]), specRule: "docs/reports.md §Times")
        }
        secondsSinceEpoch = seconds
    }

    /// Encodes the precision and, unless unknown, the value in the form of that precision.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(precision, forKey: .precision)
        try c.encodeIfPresent(text, forKey: .value)
    }
}
