import Foundation

/// The JSON form for people and tools (docs/reports.md, "JSON"): snake_case keys, unknown keys
/// rejected, absent optional fields meaning unknown.
extension Report: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case schemaVersion = "schema_version"
        case incidentType = "incident_type"
        case occurred, place, counts, victims
        case perpetrator = "alleged_perpetrator"
        case narrative, evidence
    }

    /// Parses and validates report JSON, such as the file given to `isnad report new --from`.
    /// - Parameter json: UTF-8 JSON text, at most ``Limits/jsonBytes``.
    /// - Throws: ``WireError/Code/tooLarge``, ``WireError/Code/malformedJSON``,
    ///   ``WireError/Code/unknownField``, ``WireError/Code/duplicateField``, ``WireError/Code/missingField``,
    ///   ``WireError/Code/invalidJSONValue``, ``WireError/Code/unsupportedVersion`` or
    ///   ``WireError/Code/schemaViolation``, each naming the field (e.g. `victims[2].age`).
    public init(json: [UInt8]) throws(WireError) {
        guard json.count <= Limits.jsonBytes else {
            throw WireError(.tooLarge, "report JSON is at most \(Limits.jsonBytes) bytes", specRule: "docs/reports.md §Limits")
        }
        if let duplicate = JSONDuplicateKeys.firstDuplicate(in: json) {
            throw WireError(
                .duplicateField, "this field appears twice in one object; keep one", field: duplicate,
                specRule: "RFC 8259 §4")
        }
        let report: Report
        do {
            report = try JSONDecoder().decode(Report.self, from: Data(json))
        } catch let error as WireError {
            throw error
        } catch let error as DecodingError {
            throw Self.wireError(error)
        } catch {
            throw WireError(.malformedJSON, "the text is not valid JSON", specRule: "RFC 8259")
        }
        try report.validate()
        self = report
    }

    /// The report as pretty-printed JSON with sorted keys, UTF-8.
    /// - Throws: the errors of ``validate()``: only valid reports are written.
    public func json() throws(WireError) -> [UInt8] {
        try validate()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(self))
        } catch {
            throw WireError(.malformed, kind: .internalFailure, "the report could not be written as JSON", field: "Report")
        }
    }

    /// Decodes from JSON; `schema_version` and `incident_type` are required, everything else
    /// defaults to unknown or empty.
    public init(from decoder: any Decoder) throws {
        try JSONFields.rejectUnknownKeys(decoder, CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try c.decode(UInt16.self, forKey: .schemaVersion)
        guard schemaVersion == Self.currentSchemaVersion else {
            throw WireError(
                .unsupportedVersion, kind: .unsupported,
                "report schema version \(schemaVersion) is not supported; this build reads version \(Self.currentSchemaVersion)",
                field: "schema_version", specRule: "docs/reports.md §Versions")
        }
        incidentType = try c.decode(IncidentType.self, forKey: .incidentType)
        occurred = try c.decodeIfPresent(ReportTime.self, forKey: .occurred) ?? .unknown
        place = try c.decodeIfPresent(Place.self, forKey: .place) ?? Place()
        counts = try c.decodeIfPresent(ReportCounts.self, forKey: .counts) ?? ReportCounts()
        victims = try c.decodeIfPresent([Victim].self, forKey: .victims) ?? []
        perpetrator = try c.decodeIfPresent(Perpetrator.self, forKey: .perpetrator) ?? .unknown
        narrative = try c.decodeIfPresent(String.self, forKey: .narrative) ?? ""
        evidence = try c.decodeIfPresent([EvidenceItem].self, forKey: .evidence) ?? []
    }

    /// Encodes every field; unknown counts and times are written explicitly.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schemaVersion, forKey: .schemaVersion)
        try c.encode(incidentType, forKey: .incidentType)
        try c.encode(occurred, forKey: .occurred)
        try c.encode(place, forKey: .place)
        try c.encode(counts, forKey: .counts)
        try c.encode(victims, forKey: .victims)
        try c.encode(perpetrator, forKey: .perpetrator)
        try c.encode(narrative, forKey: .narrative)
        try c.encode(evidence, forKey: .evidence)
    }

    /// Maps Foundation's error to a ``WireError`` naming the field, without the offending value.
    private static func wireError(_ error: DecodingError) -> WireError {
        let rule = "docs/reports.md §JSON"
        switch error {
        case .keyNotFound(let key, let context):
            return WireError(
                .missingField, "this required field is missing", field: JSONFields.path(context.codingPath + [key]),
                specRule: rule)
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return WireError(
                .invalidJSONValue, "the value has the wrong type for this field", field: JSONFields.path(context.codingPath),
                specRule: rule)
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return WireError(.malformedJSON, "the text is not valid JSON", specRule: "RFC 8259")
        case .dataCorrupted(let context):
            return WireError(
                .invalidJSONValue, "the value is not one of those the schema allows for this field",
                field: JSONFields.path(context.codingPath), specRule: rule)
        @unknown default:
            return WireError(.malformedJSON, "the text is not a valid report", specRule: rule)
        }
    }
}
