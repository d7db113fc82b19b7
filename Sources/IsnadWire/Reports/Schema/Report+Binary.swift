import IsnadMLS

/// The canonical binary encoding (docs/reports.md, "Binary encoding"):
///
/// ```
/// struct {
///     uint16 schema_version;            // 1
///     uint8 incident_type;
///     ReportTime occurred;
///     Place place;
///     ReportCounts counts;
///     Victim victims<V>;
///     uint8 alleged_perpetrator;
///     opaque narrative<V>;              // UTF-8, as typed
///     EvidenceItem evidence<V>;
/// } Report;
/// ```
extension Report: MLSCodable {
    /// The canonical bytes: the exact bytes a reporter signs.
    public var canonicalBytes: [UInt8] { encoded }

    /// Decodes and validates canonical bytes, strictly.
    ///
    /// The bytes must be at most ``Limits/encodedBytes`` long, contain exactly one report and
    /// nothing after it, and re-encode to themselves.
    /// - Throws: ``WireError/Code/tooLarge``, ``WireError/Code/malformed``,
    ///   ``WireError/Code/unsupportedVersion`` or ``WireError/Code/schemaViolation``; never traps.
    public init(canonicalBytes bytes: [UInt8]) throws(WireError) {
        guard bytes.count <= Limits.encodedBytes else {
            throw WireError(
                .tooLarge, "a report's encoding is at most \(Limits.encodedBytes) bytes", field: "Report",
                specRule: "docs/reports.md §Limits")
        }
        var decoder = TLSDecoder(bytes)
        let report = try Report(reading: &decoder)
        guard decoder.isAtEnd else {
            throw WireError.malformed("Report", "\(decoder.remaining) unexpected byte(s) follow the report")
        }
        try report.validate()
        // Strict decoding makes this hold; checking it keeps "one report, one encoding" true by construction.
        guard report.encoded == bytes else {
            throw WireError.malformed("Report", "the bytes are not the canonical encoding of the report they decode to")
        }
        self = report
    }

    /// Appends the canonical encoding. Call ``validate()`` first; encoding does not check the schema.
    public func encode(to encoder: inout TLSEncoder) {
        encoder.write(schemaVersion)
        incidentType.encode(to: &encoder)
        occurred.encode(to: &encoder)
        place.encode(to: &encoder)
        counts.encode(to: &encoder)
        encoder.writeVector { encoder in
            for victim in victims { victim.encode(to: &encoder) }
        }
        perpetrator.encode(to: &encoder)
        WireCodec.writeString(narrative, to: &encoder)
        encoder.writeVector { encoder in
            for item in evidence { item.encode(to: &encoder) }
        }
    }

    /// Reads one report without schema validation; throws only ``WireError``.
    public init(from decoder: inout TLSDecoder) throws {
        try self.init(reading: &decoder)
    }

    private init(reading decoder: inout TLSDecoder) throws(WireError) {
        schemaVersion = try WireCodec.run("schema_version") { try decoder.readUInt16("schema_version") }
        guard schemaVersion == Self.currentSchemaVersion else {
            throw WireError(
                .unsupportedVersion, kind: .unsupported,
                "report schema version \(schemaVersion) is not supported; this build reads version \(Self.currentSchemaVersion)",
                field: "schema_version", specRule: "docs/reports.md §Versions")
        }
        incidentType = try IncidentType(from: &decoder, field: "incident_type")
        occurred = try ReportTime(from: &decoder, field: "occurred")
        place = try Place(from: &decoder, field: "place")
        counts = try ReportCounts(from: &decoder, field: "counts")
        victims = try WireCodec.readList(&decoder, field: "victims", maxCount: Limits.victims) { (inner) throws(WireError) in
            try Victim(from: &inner, field: "victims[]")
        }
        perpetrator = try Perpetrator(from: &decoder, field: "alleged_perpetrator")
        narrative = try WireCodec.readString(&decoder, field: "narrative", maxBytes: Limits.narrativeBytes)
        evidence = try WireCodec.readList(&decoder, field: "evidence", maxCount: Limits.evidenceItems) { (inner) throws(WireError) in
            try EvidenceItem(from: &inner, field: "evidence[]")
        }
    }
}
