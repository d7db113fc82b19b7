import IsnadWire
import Testing

@testable import IsnadObservatory

@Suite("Incident corroboration")
struct IncidentTests {
    let linker = IncidentLinker(gazetteer: Fixtures.gazetteer)

    @Test("Reports of one strike from three reporters, in both scripts and precisions, are one incident with three sources")
    func corroborated() throws {
        let incidents = linker.link([
            Fixtures.report(1, reporter: 1, time: Fixtures.at(20, hour: 14)),
            Fixtures.report(2, reporter: 2, time: Fixtures.at(20, hour: 0, .day), governorate: "Aleppo", locality: nil),
            Fixtures.report(3, reporter: 3, time: Fixtures.at(20, hour: 17, .approximate), governorate: "حَلَب", locality: "الشعار"),
        ])
        #expect(incidents.count == 1)
        let incident = try #require(incidents.first)
        #expect(incident.independentSources == 3)
        #expect(incident.reports == [Fixtures.commitment(1), Fixtures.commitment(2), Fixtures.commitment(3)])
        #expect(incident.governorate.code == "G02")
        #expect(incident.type == .airStrike)
    }

    @Test("The same reporter key twice counts as one source")
    func sameReporter() {
        let incidents = linker.link([
            Fixtures.report(1, reporter: 7, time: Fixtures.at(20, hour: 14)),
            Fixtures.report(2, reporter: 7, time: Fixtures.at(20, hour: 15)),
            Fixtures.report(2, reporter: 7, time: Fixtures.at(20, hour: 15)),
        ])
        #expect(incidents.map(\.independentSources) == [1])
        #expect(incidents.map(\.reports.count) == [2])
    }

    @Test("Another type, locality, governorate or day, or a vague time, is another incident")
    func apart() {
        let incidents = linker.link([
            Fixtures.report(1, reporter: 1),
            Fixtures.report(2, reporter: 2, type: .shelling),
            Fixtures.report(3, reporter: 3, locality: "باب النيرب"),
            Fixtures.report(4, reporter: 4, governorate: "حمص"),
            Fixtures.report(5, reporter: 5, time: Fixtures.at(21, hour: 14)),
            Fixtures.report(6, reporter: 6, time: ReportTime(precision: .month, secondsSinceEpoch: 1_761_955_200)),
            Fixtures.report(7, reporter: 7, governorate: nil),
        ])
        #expect(incidents.count == 7)
        #expect(incidents.allSatisfy { $0.independentSources == 1 })
    }

    @Test("A report without a locality cannot join two localities into one incident")
    func bridge() {
        let incidents = linker.link([
            Fixtures.report(1, reporter: 1, locality: "الشعار"),
            Fixtures.report(2, reporter: 2, locality: nil),
            Fixtures.report(3, reporter: 3, locality: "باب النيرب"),
        ])
        #expect(incidents.count == 2)
        #expect(incidents.map(\.reports.count).sorted() == [1, 2])
    }

    @Test("A chain of reports six hours apart stops at the two-day span")
    func chain() {
        var reports: [ReviewedReport] = []
        for k in 0..<12 {
            let n = UInt8(k + 1)
            reports.append(Fixtures.report(n, reporter: n, time: Fixtures.at(20, hour: Int64(k * 6))))
        }
        let incidents = linker.link(reports)
        #expect(incidents.count > 1)
        for incident in incidents {
            let window = incident.window ?? 0...0
            #expect(window.upperBound - window.lowerBound <= linker.maximumSpanSeconds)
        }
        let total = incidents.map { $0.reports.count }.reduce(0, +)
        #expect(total == 12)
    }

    @Test("The result does not depend on input order")
    func deterministic() {
        var reports: [ReviewedReport] = []
        for k in 0..<20 {
            let type: IncidentType = k % 3 == 0 ? .shelling : .airStrike
            let time = Fixtures.at(20 + Int64(k % 4), hour: Int64(k % 24))
            let locality: String? = k % 2 == 0 ? nil : "الشعار"
            reports.append(Fixtures.report(UInt8(k + 1), reporter: UInt8(k % 5), type: type, time: time, locality: locality))
        }
        #expect(linker.link(reports) == linker.link(reports.reversed()))
    }
}
