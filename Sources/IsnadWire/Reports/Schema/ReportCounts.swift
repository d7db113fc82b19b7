import IsnadMLS

/// The counts a report gives, one set per outcome; `nil` means the report gives no figure for it
/// (docs/reports.md, "Counts").
///
/// Binary: six `optional<CasualtyCounts>` in declaration order.
public struct ReportCounts: Hashable, Sendable {
    /// People killed.
    public var killed: CasualtyCounts?
    /// People injured.
    public var injured: CasualtyCounts?
    /// People detained.
    public var detained: CasualtyCounts?
    /// People disappeared.
    public var disappeared: CasualtyCounts?
    /// People who defected.
    public var defected: CasualtyCounts?
    /// People displaced.
    public var displaced: CasualtyCounts?

    /// Creates counts with no figure for any outcome.
    public init() {}

    /// Creates counts for the given outcomes.
    public init(
        killed: CasualtyCounts? = nil, injured: CasualtyCounts? = nil, detained: CasualtyCounts? = nil,
        disappeared: CasualtyCounts? = nil, defected: CasualtyCounts? = nil, displaced: CasualtyCounts? = nil
    ) {
        (self.killed, self.injured, self.detained) = (killed, injured, detained)
        (self.disappeared, self.defected, self.displaced) = (disappeared, defected, displaced)
    }

    var all: [CasualtyCounts?] { [killed, injured, detained, disappeared, defected, displaced] }

    func validate(field: String) throws(WireError) {
        for (key, counts) in zip(CodingKeys.allCases, all) {
            try counts?.validate(field: "\(field).\(key.stringValue)")
        }
    }

    func encode(to encoder: inout TLSEncoder) {
        for counts in all {
            encoder.writeOptional(counts) { value, encoder in value.encode(to: &encoder) }
        }
    }

    init(from decoder: inout TLSDecoder, field: String) throws(WireError) {
        func read(_ key: CodingKeys) throws(WireError) -> CasualtyCounts? {
            let name = "\(field).\(key.stringValue)"
            return try WireCodec.readPresence(&decoder, field: name) ? try CasualtyCounts(from: &decoder, field: name) : nil
        }
        killed = try read(.killed)
        injured = try read(.injured)
        detained = try read(.detained)
        disappeared = try read(.disappeared)
        defected = try read(.defected)
        displaced = try read(.displaced)
    }
}

extension ReportCounts: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case killed, injured, detained, disappeared, defected, displaced
    }

    /// Decodes from JSON; an absent outcome has no figure; an unknown key is rejected.
    public init(from decoder: any Decoder) throws {
        try JSONFields.rejectUnknownKeys(decoder, CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        killed = try c.decodeIfPresent(CasualtyCounts.self, forKey: .killed)
        injured = try c.decodeIfPresent(CasualtyCounts.self, forKey: .injured)
        detained = try c.decodeIfPresent(CasualtyCounts.self, forKey: .detained)
        disappeared = try c.decodeIfPresent(CasualtyCounts.self, forKey: .disappeared)
        defected = try c.decodeIfPresent(CasualtyCounts.self, forKey: .defected)
        displaced = try c.decodeIfPresent(CasualtyCounts.self, forKey: .displaced)
    }

    /// Encodes the outcomes that have figures.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        for (key, counts) in zip(CodingKeys.allCases, all) { try c.encodeIfPresent(counts, forKey: key) }
    }
}
