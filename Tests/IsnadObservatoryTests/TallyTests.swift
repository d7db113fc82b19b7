import IsnadWire
import Testing

@testable import IsnadObservatory

@Suite("Tallies")
struct TallyTests {
    let builder = TallyBuilder(gazetteer: Fixtures.gazetteer)

    /// Three reporters, two incidents on 20 November in Aleppo; one victim is named in both, in
    /// Arabic script (with tashkeel) and in transliteration; an unverified report claims 100.
    static func reports(evidenceOnFirst: Bool = false) -> [ReviewedReport] {
        var killed5 = CasualtyCounts(total: .atLeast(5))
        killed5.civilians = .atLeast(4)
        return [
            Fixtures.report(1, reporter: 1, victims: [
                Victim(nameArabic: "محمد خالد الأحمد", sex: .male, age: .years(34), category: .civilian, outcome: .killed),
                Victim(nameLatin: "Rama", sex: .female, age: .band(.child), outcome: .killed),
            ], evidence: evidenceOnFirst),
            Fixtures.report(2, reporter: 2, time: Fixtures.at(20, hour: 0, .day), counts: ReportCounts(killed: killed5), victims: [
                Victim(nameLatin: "Mohammed Khaled al-Ahmad", sex: .male, age: .years(34), outcome: .killed),
                Victim(nameArabic: "مجهول الهوية", sex: .male, outcome: .killed),
            ]),
            Fixtures.report(3, reporter: 3, type: .shelling, time: Fixtures.at(20, hour: 9), locality: "باب النيرب",
                            counts: ReportCounts(killed: CasualtyCounts(total: .exactly(2))), victims: [
                Victim(nameArabic: "مُحَمَّد خالد الاحمد", sex: .male, age: .years(35), outcome: .killed),
                Victim(nameArabic: "سامر يوسف", sex: .male, age: .years(25), category: .soldier, outcome: .killed),
            ]),
            Fixtures.report(4, reporter: 1, type: .shelling, time: Fixtures.at(20, hour: 10), governorate: "Aleppo", locality: "باب النيرب",
                            counts: ReportCounts(killed: CasualtyCounts(total: .atLeast(2)))),
            Fixtures.report(5, reporter: 4, counts: ReportCounts(killed: CasualtyCounts(total: .exactly(100))), verified: false),
        ]
    }

    @Test("Each victim counts once; incidents add up; reports of one incident do not")
    func figure() throws {
        let result = try builder.build(Self.reports())
        #expect(result.incidents.count == 2)
        #expect(result.figures.count == 1)
        let figure = try #require(result.figures.first)
        #expect(figure.period == .day(20_412))
        #expect(figure.period.text == "2025-11-20")
        #expect(figure.governorate.code == "G02")
        #expect(figure.outcome == .killed)
        // Air strike: max(2 named + 1 unidentified, at least 5 reported) = 5.
        // Shelling: max(1 named (Samer; Muhammad counts in the air strike), 2 reported) = 2.
        #expect(figure.atLeast == 7)
        #expect(figure.unidentified == 1)
        #expect(figure.breakdown["civilians"] == 4)
        #expect(figure.breakdown["soldiers"] == 1)
        #expect(figure.breakdown["combatants"] == nil)
        #expect(figure.breakdown["female"] == 1)
        #expect(figure.breakdown["male"] == 3)
        #expect(figure.breakdown["children"] == 1)
        #expect(figure.breakdown["adults"] == 2)
        #expect(figure.independentSources == 3)
        #expect(figure.status == .corroborated)
        #expect(figure.reports == (1...4).map { Fixtures.commitment($0) })
        #expect(result.deduplication.clusters.count == 3)
    }

    @Test("Status: single source, corroborated, and verified with evidence only if every incident has it")
    func status() throws {
        let single = try builder.build([Fixtures.report(1, reporter: 1, counts: ReportCounts(killed: CasualtyCounts(total: .exactly(3))))])
        #expect(single.figures.map(\.status) == [.singleSource])
        let evidence = try builder.build([
            Fixtures.report(1, reporter: 1, counts: ReportCounts(killed: CasualtyCounts(total: .exactly(3))), evidence: true),
        ])
        #expect(evidence.figures.map(\.status) == [.verifiedWithEvidence])
        let mixed = try builder.build(Self.reports(evidenceOnFirst: true))
        #expect(mixed.figures.map(\.status) == [.corroborated])
    }

    @Test("Unverified reports, unknown counts and outcome-less victims add nothing")
    func nothing() throws {
        let result = try builder.build([
            Fixtures.report(1, reporter: 1, counts: ReportCounts(killed: CasualtyCounts(total: .unknown)), verified: true),
            Fixtures.report(2, reporter: 2, victims: [Victim(nameArabic: "سامر")]),
            Fixtures.report(3, reporter: 3, counts: ReportCounts(killed: CasualtyCounts(total: .exactly(9))), verified: false),
        ])
        #expect(result.figures.isEmpty)
    }

    @Test("Figures are separate per day, governorate and outcome; month-precision reports get a month")
    func cells() throws {
        let result = try builder.build([
            Fixtures.report(1, reporter: 1, counts: ReportCounts(killed: CasualtyCounts(total: .exactly(3)), injured: CasualtyCounts(total: .atLeast(10)))),
            Fixtures.report(2, reporter: 2, time: Fixtures.at(21, hour: 12), counts: ReportCounts(killed: CasualtyCounts(total: .exactly(1)))),
            Fixtures.report(3, reporter: 3, governorate: "حمص", counts: ReportCounts(killed: CasualtyCounts(total: .exactly(2)))),
            Fixtures.report(4, reporter: 4, time: ReportTime(precision: .month, secondsSinceEpoch: 1_761_955_200),
                            counts: ReportCounts(detained: CasualtyCounts(total: .atLeast(40)))),
        ])
        let rows = result.figures.map { "\($0.period.text) \($0.governorate.name) \($0.outcome.rawValue) \($0.atLeast)" }
        #expect(rows == [
            "2025-11-20 Aleppo killed 3", "2025-11-20 Aleppo injured 10", "2025-11-20 Homs killed 2",
            "2025-11-21 Aleppo killed 1", "2025-11 Aleppo detained 40",
        ])
    }

    @Test("A snapshot encodes to the bytes docs/dedup.md specifies, and its hash is SHA-256 over label and bytes")
    func pinned() throws {
        let figure = TallyFigure(
            period: .day(20_412), governorate: Governorate(key: "x", name: "X", code: nil), outcome: .killed, atLeast: 3,
            breakdown: TallyBreakdown(values: [2]), unidentified: 0, independentSources: 2, status: .corroborated,
            reports: [Fixtures.commitment(1)])
        let snapshot = TallySnapshot(figures: [figure], sequence: 1, publishedAt: 1_763_600_000)
        // Written by hand from the structure in TallySnapshot+Coding.swift (and checked with Python's hashlib).
        let expected = "0001" + "0000000000000001" + "00000000691e6680" + "00" + "404a"
            + "01" + "0000000000004fbc" + "0178" + "0158" + "00" + "01" + "00000003"
            + "0100000002" + "0000000000000000" + "00000000" + "00000002" + "02"
            + "20" + String(repeating: "01", count: 32)
        #expect(CommitmentText.hex(snapshot.canonicalBytes) == expected)
        #expect(snapshot.hashHex == "74c32e31106dbececa6146f5367ff202bff8a20f94db7c773b70c2a7324612c0")
        #expect(try TallySnapshot(canonicalBytes: snapshot.canonicalBytes) == snapshot)
    }

    @Test("Snapshots round-trip, chain to their predecessor, and any other bytes are a typed error")
    func roundTrip() throws {
        let figures = try builder.build(Self.reports()).figures
        let first = TallySnapshot(figures: figures, sequence: 1, publishedAt: 1_763_650_000)
        let second = TallySnapshot(figures: figures, sequence: 2, publishedAt: 1_763_736_400, previous: first)
        #expect(second.previousHash == first.hash)
        #expect(first.hash != second.hash)
        #expect(try TallySnapshot(canonicalBytes: second.canonicalBytes) == second)

        let bytes = second.canonicalBytes
        func code(_ bytes: [UInt8]) -> AnalysisError.Code? {
            do { _ = try TallySnapshot(canonicalBytes: bytes); return nil } catch { return error.code }
        }
        #expect(code(Array(bytes.dropLast())) == .malformedSnapshot)
        #expect(code(bytes + [0]) == .malformedSnapshot)
        #expect(code([0, 2] + bytes.dropFirst(2)) == .unsupportedVersion)
        #expect(code([]) == .malformedSnapshot)
        // Two figures swapped: content the encoder would never write.
        let twice = TallySnapshot(version: 1, sequence: 1, publishedAt: 0, previousHash: nil, figures: figures + figures)
        #expect(code(twice.canonicalBytes) == .malformedSnapshot)
        // Every truncation fails cleanly, never traps.
        for n in stride(from: 0, to: bytes.count, by: 7) { #expect(code(Array(bytes.prefix(n))) != nil) }
        // Single-byte changes either fail with a typed error or decode to a snapshot that
        // re-encodes to exactly those bytes (one snapshot, one encoding).
        for position in bytes.indices {
            for delta: UInt8 in [1, 0x80] {
                var mutated = bytes
                mutated[position] &+= delta
                if let decoded = try? TallySnapshot(canonicalBytes: mutated) {
                    #expect(decoded.canonicalBytes == mutated)
                }
            }
        }
    }

    @Test("A reader finds every figure that rests on a report missing from the log")
    func verification() throws {
        let snapshot = TallySnapshot(figures: try builder.build(Self.reports()).figures, sequence: 1, publishedAt: 1_763_650_000)
        #expect(snapshot.reportCommitments == (1...4).map { Fixtures.commitment($0) })
        let logged = Set(snapshot.reportCommitments.map(\.bytes))
        #expect(snapshot.figuresWithUnloggedReports { logged.contains($0.bytes) }.isEmpty)
        let partial = logged.subtracting([Fixtures.commitment(3).bytes])
        let flagged = snapshot.figuresWithUnloggedReports { partial.contains($0.bytes) }
        #expect(flagged.map(\.missing) == [[Fixtures.commitment(3)]])
    }

    @Test("Decisions about victims of reports that no longer count are set aside")
    func rejectedAfterDecision() throws {
        var reports = Self.reports()
        let decision = DedupDecision(VictimRecordID(report: Fixtures.commitment(1), index: 1), VictimRecordID(report: Fixtures.commitment(3), index: 1), .different)
        reports[0].isVerified = false
        let result = try builder.build(reports, decisions: [decision])
        #expect(result.figures.count == 1)
        #expect(result.figures.first?.reports.contains(Fixtures.commitment(1)) == false)
    }
}
