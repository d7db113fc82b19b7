import IsnadMLS
import IsnadWire

/// The canonical encoding (docs/dedup.md, "Snapshots"), in the TLS presentation language as
/// RFC 9420 §2.1 uses it (IsnadMLS's TLSEncoder/TLSDecoder):
///
/// ```
/// struct {
///     uint16 version;                        // 1
///     uint64 sequence;
///     uint64 published_at;                   // seconds since the epoch, two's complement
///     optional<opaque previous_hash<V>>;     // 32 bytes
///     TallyFigure figures<V>;                // strictly increasing (period, governorate key, outcome)
/// } TallySnapshot;
///
/// struct {
///     uint8 period_kind;                     // 1 day, 2 month, 3 unknown
///     select (period_kind) { case 1: uint64 day; case 2: uint16 year; uint8 month; case 3: ; }
///     opaque governorate_key<V>; opaque governorate_name<V>; optional<opaque governorate_code<V>>;
///     uint8 outcome;                         // docs/reports.md codes
///     uint32 at_least;
///     optional<uint32> civilians, combatants, soldiers, defectors, female, male, children, adults, elderly;
///     uint32 unidentified;
///     uint32 independent_sources;
///     uint8 status;                          // 1 single source, 2 corroborated, 3 verified with evidence
///     opaque report_commitments<V>;          // 32 bytes each, strictly increasing
/// } TallyFigure;
/// ```
extension TallySnapshot {
    /// The canonical bytes: one snapshot has exactly one encoding.
    public var canonicalBytes: [UInt8] {
        var encoder = TLSEncoder(capacity: 64 + figures.count * 128)
        encoder.write(version)
        encoder.write(sequence)
        encoder.write(UInt64(bitPattern: publishedAt))
        encoder.writeOptional(previousHash) { hash, encoder in encoder.writeOpaque(hash) }
        encoder.writeVector { encoder in
            for figure in figures { figure.encode(to: &encoder) }
        }
        return encoder.bytes
    }

    /// Decodes canonical bytes strictly: any other encoding of the same content is refused.
    /// - Throws: ``AnalysisError/Code/unsupportedVersion`` for another version;
    ///   ``AnalysisError/Code/malformedSnapshot`` for anything else that is not a canonical snapshot.
    public init(canonicalBytes bytes: [UInt8]) throws(AnalysisError) {
        var decoder = TLSDecoder(bytes)
        do {
            let version = try decoder.readUInt16("version")
            guard version == Self.currentVersion else {
                throw AnalysisError(.unsupportedVersion, "snapshot version \(version) is not supported; this build reads version \(Self.currentVersion)", field: "version")
            }
            let sequence = try decoder.readUInt64("sequence")
            let publishedAt = Int64(bitPattern: try decoder.readUInt64("published_at"))
            let previous = try decoder.readOptional("previous_hash") { try $0.readOpaque("previous_hash") }
            guard previous.map({ $0.count == 32 }) ?? true else {
                throw AnalysisError(.malformedSnapshot, "a previous hash has 32 bytes", field: "previous_hash")
            }
            let figures = try decoder.readVector("figures") { inner in
                var figures: [TallyFigure] = []
                while !inner.isAtEnd { figures.append(try TallyFigure(from: &inner, field: "figures[\(figures.count)]")) }
                return figures
            }
            try decoder.finish("snapshot")
            self.init(version: version, sequence: sequence, publishedAt: publishedAt, previousHash: previous, figures: figures)
        } catch let error as AnalysisError {
            throw error
        } catch {
            throw AnalysisError(.malformedSnapshot, "the bytes are not a snapshot encoding (truncated or invalid)", field: "snapshot")
        }
        for k in figures.indices.dropFirst() where !TallyFigure.order(figures[k - 1], figures[k]) {
            throw AnalysisError(.malformedSnapshot, "figures are not in strictly increasing order", field: "figures[\(k)]")
        }
        // Strict decoding above; this closes what it cannot see (e.g. a non-minimal length).
        guard canonicalBytes == bytes else {
            throw AnalysisError(.malformedSnapshot, "the bytes are not the canonical encoding of their content", field: "snapshot")
        }
    }
}

extension TallyFigure {
    func encode(to encoder: inout TLSEncoder) {
        switch period {
        case .day(let day): encoder.write(UInt8(1)); encoder.write(UInt64(bitPattern: day))
        case .month(let year, let month): encoder.write(UInt8(2)); encoder.write(UInt16(clamping: year)); encoder.write(UInt8(clamping: month))
        case .unknown: encoder.write(UInt8(3))
        }
        encoder.writeOpaque(Array(governorate.key.utf8))
        encoder.writeOpaque(Array(governorate.name.utf8))
        encoder.writeOptional(governorate.code) { code, encoder in encoder.writeOpaque(Array(code.utf8)) }
        encoder.write(outcome.code)
        encoder.write(atLeast)
        for value in breakdown.values { encoder.writeOptional(value) { value, encoder in encoder.write(value) } }
        encoder.write(unidentified)
        encoder.write(independentSources)
        encoder.write(status.code)
        encoder.writeOpaque(reports.flatMap(\.bytes))
    }

    init(from decoder: inout TLSDecoder, field: String) throws {
        func fail(_ message: String) -> AnalysisError { AnalysisError(.malformedSnapshot, message, field: field) }
        func text(_ name: String) throws -> String {
            guard let text = String(validating: try decoder.readOpaque(name), as: UTF8.self) else { throw fail("\(name) is not UTF-8") }
            return text
        }
        switch try decoder.readUInt8("period") {
        case 1: period = .day(Int64(bitPattern: try decoder.readUInt64("day")))
        case 2:
            let year = Int(try decoder.readUInt16("year")), month = Int(try decoder.readUInt8("month"))
            guard (1...12).contains(month) else { throw fail("month \(month) is not 1 to 12") }
            period = .month(year: year, month: month)
        case 3: period = .unknown
        case let kind: throw fail("period kind \(kind) is not 1, 2 or 3")
        }
        let key = try text("governorate_key"), name = try text("governorate_name")
        let code = try decoder.readOptional("governorate_code") { inner in
            guard let text = String(validating: try inner.readOpaque("governorate_code"), as: UTF8.self) else { throw fail("governorate_code is not UTF-8") }
            return text
        }
        governorate = Governorate(key: key, name: name, code: code)
        let outcomeCode = try decoder.readUInt8("outcome")
        guard let outcome = Outcome.allCases.first(where: { $0.code == outcomeCode }) else { throw fail("outcome code \(outcomeCode) is not defined") }
        self.outcome = outcome
        atLeast = try decoder.readUInt32("at_least")
        var values: [UInt32?] = []
        for name in TallyBreakdown.fieldNames { values.append(try decoder.readOptional(name) { try $0.readUInt32(name) }) }
        breakdown = TallyBreakdown(values: values)
        unidentified = try decoder.readUInt32("unidentified")
        independentSources = try decoder.readUInt32("independent_sources")
        let statusCode = try decoder.readUInt8("status")
        guard let status = TallyStatus.allCases.first(where: { $0.code == statusCode }) else { throw fail("status code \(statusCode) is not defined") }
        self.status = status
        let bytes = try decoder.readOpaque("report_commitments")
        guard bytes.count % 32 == 0 else { throw fail("report commitments are 32 bytes each") }
        reports = try stride(from: 0, to: bytes.count, by: 32).map { try ReportCommitment(bytes: Array(bytes[$0..<$0 + 32])) }
        for k in reports.indices.dropFirst() where !ReportCommitment.byteOrder(reports[k - 1], reports[k]) {
            throw fail("report commitments are not in strictly increasing order")
        }
    }
}
