import IsnadMLS
import IsnadWire
import Testing

struct ReportBinaryTests {
    @Test("seeded random reports survive the canonical encoding byte for byte", arguments: 0..<8)
    func roundTrip(seed: UInt64) throws {
        var g = SeededGenerator(seed: 100 + seed)
        for _ in 0..<40 {
            let report = Arbitrary.report(&g)
            let bytes = report.canonicalBytes
            let decoded = try Report(canonicalBytes: bytes)
            #expect(decoded == report)
            #expect(decoded.canonicalBytes == bytes)
        }
    }

    @Test("the encoding starts with the schema version and other versions are refused")
    func version() {
        let bytes = Arbitrary.sample.canonicalBytes
        #expect(Array(bytes.prefix(2)) == [0, 1])
        var v2 = bytes
        v2[1] = 2
        expectWireError(.unsupportedVersion, field: "schema_version") { _ = try Report(canonicalBytes: v2) }
    }

    @Test("trailing bytes, truncation and oversized input are refused")
    func framing() {
        let bytes = Arbitrary.sample.canonicalBytes
        expectWireError(.malformed) { _ = try Report(canonicalBytes: bytes + [0]) }
        for length in 0..<bytes.count {
            expectWireError(.malformed) { _ = try Report(canonicalBytes: Array(bytes.prefix(length))) }
        }
        expectWireError(.tooLarge) { _ = try Report(canonicalBytes: Array(repeating: 0, count: Report.Limits.encodedBytes + 1)) }
    }

    @Test("invalid UTF-8 in text is refused, not repaired")
    func invalidUTF8() {
        var report = Report(incidentType: .other, narrative: "AAAA")
        var bytes = report.canonicalBytes
        let index = bytes.count - 2  // inside the narrative, before the empty evidence vector
        #expect(bytes[index] == UInt8(ascii: "A"))
        bytes[index] = 0xff
        expectWireError(.malformed, field: "narrative") { _ = try Report(canonicalBytes: bytes) }
        report.narrative = "AAA"
        #expect(report.canonicalBytes.count == bytes.count - 1)
    }

    @Test("an undefined enum code is refused")
    func badEnum() {
        var bytes = Arbitrary.sample.canonicalBytes
        bytes[2] = 0  // incident_type
        expectWireError(.malformed, field: "incident_type") { _ = try Report(canonicalBytes: bytes) }
        bytes[2] = 11
        expectWireError(.malformed, field: "incident_type") { _ = try Report(canonicalBytes: bytes) }
    }

    @Test("schema violations in decoded bytes are refused")
    func schema() {
        var report = Arbitrary.sample
        report.occurred = ReportTime(precision: .day, secondsSinceEpoch: 1_763_596_801)
        expectWireError(.schemaViolation, field: "occurred") { _ = try Report(canonicalBytes: report.canonicalBytes) }
        report.occurred = ReportTime(precision: .unknown, secondsSinceEpoch: 0)
        expectWireError(.schemaViolation, field: "occurred") { _ = try Report(canonicalBytes: report.canonicalBytes) }
        report.occurred = ReportTime(precision: .exact, secondsSinceEpoch: nil)
        expectWireError(.schemaViolation, field: "occurred") { _ = try Report(canonicalBytes: report.canonicalBytes) }
        report.occurred = ReportTime(precision: .month, secondsSinceEpoch: 1_763_596_800)
        expectWireError(.schemaViolation, field: "occurred") { _ = try Report(canonicalBytes: report.canonicalBytes) }
        report = Arbitrary.sample
        report.victims[0].age = .years(131)
        expectWireError(.schemaViolation, field: "victims[0].age") { _ = try Report(canonicalBytes: report.canonicalBytes) }
        report = Arbitrary.sample
        report.place.governorate = String(repeating: "ح", count: 257)
        expectWireError(.schemaViolation, field: "place.governorate") { _ = try Report(canonicalBytes: report.canonicalBytes) }
        report = Arbitrary.sample
        report.evidence[0].sha256 = [1, 2, 3]
        expectWireError(.malformed, field: "evidence[].sha256") { _ = try Report(canonicalBytes: report.canonicalBytes) }
        expectWireError(.schemaViolation, field: "evidence[0].sha256") { try report.validate() }
    }

    @Test("dates after `now` are refused; day and month dates count from their first second")
    func futureDates() throws {
        let now = Int64(testNow.timeIntervalSince1970)
        var report = Arbitrary.sample
        report.occurred = ReportTime(precision: .exact, secondsSinceEpoch: now + 1)
        expectWireError(.futureDate, field: "occurred") { try report.validate(now: testNow) }
        report.occurred = ReportTime(precision: .exact, secondsSinceEpoch: now)
        try report.validate(now: testNow)
        report.occurred = ReportTime(precision: .day, secondsSinceEpoch: now)
        try report.validate(now: testNow)
        report.occurred = ReportTime(precision: .day, secondsSinceEpoch: now + 86_400)
        expectWireError(.futureDate, field: "occurred") { try report.validate(now: testNow) }
        report = Arbitrary.sample
        report.evidence[0].captureTime = ReportTime(precision: .approximate, secondsSinceEpoch: now + 3600)
        expectWireError(.futureDate, field: "evidence[0].capture_time") { try report.validate(now: testNow) }
    }

    @Test("dates convert to and from calendar text at the edges")
    func calendar() throws {
        let cases: [(String, TimePrecision, Int64)] = [
            (#"{"precision":"exact","value":"1970-01-01T00:00:00Z"}"#, .exact, 0),
            (#"{"precision":"day","value":"2024-02-29"}"#, .day, 1_709_164_800),
            (#"{"precision":"month","value":"1900-01"}"#, .month, -2_208_988_800),
            (#"{"precision":"approximate","value":"9999-12-31T23:59:59Z"}"#, .approximate, 253_402_300_799),
        ]
        for (json, precision, seconds) in cases {
            let report = try Report(json: #"{"schema_version":1,"incident_type":"other","occurred":\#(json)}"#.bytes)
            #expect(report.occurred == ReportTime(precision: precision, secondsSinceEpoch: seconds))
            let text = String(decoding: try report.json(), as: UTF8.self)
            let value = json.split(separator: "\"").dropLast().last.map(String.init) ?? ""
            #expect(text.contains(value))
        }
        expectWireError(.invalidJSONValue) {
            _ = try Report(json: #"{"schema_version":1,"incident_type":"other","occurred":{"precision":"day","value":"2023-02-29"}}"#.bytes)
        }
        expectWireError(.schemaViolation, field: "occurred") {
            _ = try Report(json: #"{"schema_version":1,"incident_type":"other","occurred":{"precision":"day","value":"1899-12-31"}}"#.bytes)
        }
    }
}
