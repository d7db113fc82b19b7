import Foundation
import IsnadWire
import Testing

struct ReportJSONTests {
    @Test("seeded random reports survive JSON → Report → JSON with identical canonical bytes", arguments: 0..<8)
    func roundTrip(seed: UInt64) throws {
        var g = SeededGenerator(seed: seed)
        for _ in 0..<40 {
            let report = Arbitrary.report(&g)
            try report.validate(now: testNow)
            let json = try report.json()
            let decoded = try Report(json: json)
            #expect(decoded.canonicalBytes == report.canonicalBytes)
            #expect(try decoded.json() == json)
        }
    }

    @Test("the full example of docs/reports.md parses and keeps its text exactly")
    func fullExample() throws {
        let report = try Report(json: ReportExamples.full.bytes)
        #expect(report.incidentType == .airStrike)
        #expect(report.occurred.precision == .exact)
        #expect(report.occurred.secondsSinceEpoch == 1_763_649_000)
        #expect(report.counts.killed?.total == .atLeast(55))
        #expect(report.counts.killed?.soldiers == .exactly(14))
        #expect(report.counts.killed?.children == .unknown)
        #expect(report.counts.injured == nil)
        #expect(report.victims[0].nameArabic == "محمد الأحمد")
        #expect(report.victims[1].age == .band(.child))
        #expect(report.place.coordinates?.latitudeMicrodegrees == 36_202_100)
        #expect(report.evidence[0].sha256.count == 32)
        try report.validate(now: testNow)
    }

    @Test("the minimal example: absent fields are unknown, never zero")
    func minimalExample() throws {
        let report = try Report(json: ReportExamples.minimal.bytes)
        #expect(report.occurred == .unknown)
        #expect(report.place == Place())
        #expect(report.counts.killed?.total == .unknown)
        #expect(report.counts.killed?.civilians == .unknown)
        #expect(report.perpetrator == .unknown)
        #expect(report.victims.isEmpty)
    }

    @Test("text is stored exactly as typed: no NFC normalisation")
    func noNormalisation() throws {
        let decomposed = "Cafe\u{301} مُحَمَّد"
        let report = Report(incidentType: .other, narrative: decomposed)
        let viaJSON = try Report(json: try report.json())
        #expect(Array(viaJSON.narrative.utf8) == Array(decomposed.utf8))
        let viaBinary = try Report(canonicalBytes: report.canonicalBytes)
        #expect(Array(viaBinary.narrative.utf8) == Array(decomposed.utf8))
        // The precomposed spelling is a different signed report.
        let precomposed = Report(incidentType: .other, narrative: "Caf\u{E9} مُحَمَّد")
        #expect(precomposed.canonicalBytes != report.canonicalBytes)
    }

    @Test(
        "unknown keys are rejected, naming the field",
        arguments: [
            (#"{"schema_version":1,"incident_type":"killed","colour":"red"}"#, "colour"),
            (#"{"schema_version":1,"incident_type":"killed","place":{"city":"x"}}"#, "place.city"),
            (#"{"schema_version":1,"incident_type":"killed","victims":[{"name_latin":"A"},{"name_latin":"B","nickname":"C"}]}"#,
             "victims[1].nickname"),
            (#"{"schema_version":1,"incident_type":"killed","counts":{"killed":{"total":3,"kids":1}}}"#, "counts.killed.kids"),
            (#"{"schema_version":1,"incident_type":"killed","counts":{"killed":{"total":{"at_least":3,"at_most":5}}}}"#,
             "counts.killed.total.at_most"),
            (#"{"schema_version":1,"incident_type":"killed","occurred":{"precision":"unknown","zone":"UTC"}}"#, "occurred.zone"),
        ])
    func unknownKeys(json: String, field: String) {
        expectWireError(.unknownField, field: field) { _ = try Report(json: json.bytes) }
    }

    @Test(
        "a key repeated in one object is rejected, naming it; equal keys in different objects are fine",
        arguments: [
            (#"{"schema_version":1,"incident_type":"killed","incident_type":"clash"}"#, "incident_type"),
            (#"{"schema_version":1,"incident_type":"killed","victims":[{"name_latin":"A"},{"name_latin":"B","name_latin":"C"}]}"#,
             "victims[1].name_latin"),
            (#"{"schema_version":1,"incident_type":"killed","place":{"locality":"x","loc\u0061lity":"y"}}"#, "place.locality"),
            (#"{"schema_version":1,"incident_type":"killed","counts":{"killed":{"total":1},"killed":{"total":2}}}"#, "counts.killed"),
        ])
    func duplicateKeys(json: String, field: String) throws {
        expectWireError(.duplicateField, field: field) { _ = try Report(json: json.bytes) }
    }

    @Test("the duplicate scan leaves tricky but valid JSON alone")
    func duplicateScanAcceptsValid() throws {
        let json = #"{"schema_version":1,"incident_type":"killed","narrative":"a \"quoted\" \\ {\"x\":1,\"x\":2} \ud83d\udd4a","#
            + #""place":{"locality":"x"},"victims":[{"name_latin":"A","place":{"locality":"y"}},{"name_latin":"B"}]}"#
        let report = try Report(json: json.bytes)
        #expect(report.narrative == "a \"quoted\" \\ {\"x\":1,\"x\":2} 🕊")
    }

    @Test("missing required fields are named")
    func missingFields() {
        expectWireError(.missingField, field: "incident_type") { _ = try Report(json: #"{"schema_version":1}"#.bytes) }
        expectWireError(.missingField, field: "schema_version") { _ = try Report(json: #"{"incident_type":"killed"}"#.bytes) }
        expectWireError(.missingField, field: "evidence[0].media_type") {
            _ = try Report(json: #"{"schema_version":1,"incident_type":"killed","evidence":[{"sha256":"\#(String(repeating: "ab", count: 32))","size":1}]}"#.bytes)
        }
    }

    @Test(
        "invalid values are rejected, naming the field",
        arguments: [
            (#"{"schema_version":1,"incident_type":"massacre"}"#, "incident_type"),
            (#"{"schema_version":1,"incident_type":"killed","alleged_perpetrator":"aliens"}"#, "alleged_perpetrator"),
            (#"{"schema_version":1,"incident_type":"killed","counts":{"killed":{"total":-1}}}"#, "counts.killed.total"),
            (#"{"schema_version":1,"incident_type":"killed","counts":{"killed":{"total":"many"}}}"#, "counts.killed.total"),
            (#"{"schema_version":1,"incident_type":"killed","occurred":{"precision":"day","value":"2025-02-30"}}"#, "occurred.value"),
            (#"{"schema_version":1,"incident_type":"killed","occurred":{"precision":"day","value":"2025-02-03T10:00:00Z"}}"#, "occurred.value"),
            (#"{"schema_version":1,"incident_type":"killed","occurred":{"precision":"exact","value":"2025-02-03T10:00:00+03:00"}}"#, "occurred.value"),
            (#"{"schema_version":1,"incident_type":"killed","victims":[{"name_latin":"A","age":"teen"}]}"#, "victims[0].age"),
            (#"{"schema_version":1,"incident_type":"killed","victims":[{"name_latin":"A","sex":"unknown"}]}"#, "victims[0].sex"),
            (#"{"schema_version":1,"incident_type":"killed","place":{"coordinates":{"latitude":91,"longitude":0,"precision_meters":1}}}"#,
             "place.coordinates.latitude"),
            (#"{"schema_version":1,"incident_type":"killed","evidence":[{"sha256":"AB","media_type":"image/jpeg","size":1}]}"#,
             "evidence[0].sha256"),
            (#"{"schema_version":1,"incident_type":"killed","narrative":7}"#, "narrative"),
        ])
    func invalidValues(json: String, field: String) {
        expectWireError(.invalidJSONValue, field: field) { _ = try Report(json: json.bytes) }
    }

    @Test("schema violations found after parsing are named")
    func schemaViolations() {
        expectWireError(.schemaViolation, field: "victims[0]") {
            _ = try Report(json: #"{"schema_version":1,"incident_type":"killed","victims":[{"father_name":"A"}]}"#.bytes)
        }
        expectWireError(.schemaViolation, field: "evidence[0].media_type") {
            _ = try Report(json: #"{"schema_version":1,"incident_type":"killed","evidence":[{"sha256":"\#(String(repeating: "0", count: 64))","media_type":"JPEG","size":1}]}"#.bytes)
        }
        expectWireError(.schemaViolation, field: "counts.killed") {
            _ = try Report(json: #"{"schema_version":1,"incident_type":"killed","counts":{"killed":{"total":5,"civilians":4,"soldiers":{"at_least":2}}}}"#.bytes)
        }
    }

    @Test("other schema versions, bad JSON and oversized input are rejected")
    func versionsAndSyntax() {
        expectWireError(.unsupportedVersion, field: "schema_version") {
            _ = try Report(json: #"{"schema_version":2,"incident_type":"killed"}"#.bytes)
        }
        expectWireError(.malformedJSON) { _ = try Report(json: #"{"schema_version":1,"incident_type":"killed""#.bytes) }
        expectWireError(.malformedJSON) { _ = try Report(json: []) }
        expectWireError(.tooLarge) { _ = try Report(json: Array(repeating: 0x20, count: Report.Limits.jsonBytes + 1)) }
    }

    @Test("error descriptions never repeat the offending value")
    func descriptionsHideValues() {
        let secret = "Secret-Name-4471"
        let inputs = [
            #"{"schema_version":1,"incident_type":"\#(secret)"}"#,
            #"{"schema_version":1,"incident_type":"killed","victims":[{"father_name":"\#(secret)"}]}"#,
            #"{"schema_version":1,"incident_type":"killed","occurred":{"precision":"day","value":"\#(secret)"}}"#,
        ]
        for input in inputs {
            do {
                _ = try Report(json: input.bytes)
                Issue.record("accepted")
            } catch {
                #expect(!String(describing: error).contains(secret))
            }
        }
    }
}
