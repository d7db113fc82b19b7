import IsnadWire
import Testing

@testable import IsnadObservatory

@Suite("Victim de-duplication")
struct DedupClusteringTests {
    let dedup = VictimDeduplicator()

    @Test("One person in Arabic script and in transliteration, from three reporters, is one cluster")
    func crossScript() throws {
        let records = [
            Fixtures.record(1, arabic: "مُحَمَّد خالد الأحمد", sex: .male, age: .years(34)),
            Fixtures.record(2, latin: "Mohammed Khaled al-Ahmad", sex: .male, age: .years(35)),
            Fixtures.record(3, arabic: "محمد خالد الاحمد", latin: "Muhammad Khalid Al Ahmad", father: "خالد", day: 21),
        ]
        let result = try dedup.run(records)
        #expect(result.clusters.count == 1)
        #expect(result.clusters.first?.records == records.map(\.id).sorted())
        #expect(result.review.isEmpty)
    }

    @Test("Different sex or a large age gap never merges, however alike the names")
    func vetoes() throws {
        let sex = try dedup.run([
            Fixtures.record(1, arabic: "نور حسن العلي", sex: .female, age: .years(20)),
            Fixtures.record(2, arabic: "نور حسن العلي", sex: .male, age: .years(20)),
        ])
        #expect(sex.clusters.count == 2)
        let age = try dedup.run([
            Fixtures.record(1, arabic: "أحمد محمود السيد", sex: .male, age: .years(12)),
            Fixtures.record(2, latin: "Ahmad Mahmoud al-Sayed", sex: .male, age: .years(45)),
        ])
        #expect(age.clusters.count == 2)
        #expect(age.review.isEmpty)
    }

    @Test("Namesakes with different fathers stay apart; a bare common name goes to review, not to a merge")
    func namesakes() throws {
        let fathers = try dedup.run([
            Fixtures.record(1, arabic: "محمد العلي", father: "حسن", sex: .male),
            Fixtures.record(2, arabic: "محمد العلي", father: "ابراهيم", sex: .male),
        ])
        #expect(fathers.clusters.count == 2)
        let bare = try dedup.run([
            Fixtures.record(1, arabic: "محمد العلي"),
            Fixtures.record(2, latin: "Mohamed al-Ali", day: 22),
        ])
        #expect(bare.clusters.count == 2)
        #expect(bare.review.count == 1)
        let item = try #require(bare.review.first)
        #expect(item.reason == .uncertain)
        #expect(item.pair.evidence.contains(.daysApart(2)))
    }

    @Test("Unidentified victims are counted one by one and never merged")
    func unidentified() throws {
        let records = [
            Fixtures.record(1, 0, arabic: "مجهول الهوية", sex: .male),
            Fixtures.record(2, 0, arabic: "مجهول الهوية", sex: .male),
            Fixtures.record(3, 0, latin: "Unknown child"),
            Fixtures.record(3, 1, latin: "-"),
        ]
        let result = try dedup.run(records)
        #expect(result.clusters.isEmpty)
        #expect(result.unidentified == records.map(\.id).sorted())
        let merge = DedupDecision(records[0].id, records[1].id, .same)
        #expect(throws: AnalysisError.self) { try dedup.run(records, decisions: [merge]) }
    }

    @Test("Two victims of one report never merge")
    func sameReport() throws {
        let result = try dedup.run([
            Fixtures.record(1, 0, arabic: "سامر يوسف", sex: .male, age: .years(30)),
            Fixtures.record(1, 1, arabic: "سامر يوسف", sex: .male, age: .years(30)),
        ])
        #expect(result.clusters.count == 2)
        #expect(result.comparedPairs == 0)
    }

    @Test("Far apart in time or in different governorates: not compared or not merged")
    func blocking() throws {
        let far = try dedup.run([
            Fixtures.record(1, arabic: "سامر يوسف الحلبي", sex: .male, day: 1),
            Fixtures.record(2, arabic: "سامر يوسف الحلبي", sex: .male, day: 20),
        ])
        #expect(far.comparedPairs == 0)
        #expect(far.clusters.count == 2)
    }

    @Test("A chain of merges stops at a contradiction, which is queued as a conflict")
    func chain() throws {
        // B is sexless and close to both A (male) and C (female): B may join one, never both.
        let result = try dedup.run([
            Fixtures.record(1, arabic: "نور حسن العلي", father: "حسن", sex: .male, age: .years(20)),
            Fixtures.record(2, arabic: "نور حسن العلي", father: "حسن", age: .years(20)),
            Fixtures.record(3, arabic: "نور حسن العلي", father: "حسن", sex: .female, age: .years(20)),
        ])
        #expect(result.clusters.count == 2)
        #expect(result.review.map(\.reason) == [.conflict])
    }

    @Test("Reviewers' decisions override scores; contradictions and unknown records are errors")
    func decisions() throws {
        let a = Fixtures.record(1, arabic: "محمد العلي")
        let b = Fixtures.record(2, latin: "Mohamed al-Ali", day: 22)
        let c = Fixtures.record(3, arabic: "محمد العلي", day: 21)
        let merged = try dedup.run([a, b, c], decisions: [DedupDecision(a.id, b.id, .same), DedupDecision(b.id, c.id, .different)])
        #expect(merged.clusters.map(\.records) == [[a.id, b.id], [c.id]])
        #expect(merged.review.isEmpty)

        #expect(throws: AnalysisError.self) {
            try dedup.run([a, b], decisions: [DedupDecision(a.id, b.id, .same), DedupDecision(b.id, a.id, .different)])
        }
        #expect(throws: AnalysisError.self) {
            try dedup.run([a, b, c], decisions: [
                DedupDecision(a.id, c.id, .different), DedupDecision(a.id, b.id, .same), DedupDecision(b.id, c.id, .same),
            ])
        }
        let stranger = Fixtures.record(9, arabic: "سامر")
        #expect(throws: AnalysisError.self) { try dedup.run([a, b], decisions: [DedupDecision(a.id, stranger.id, .same)]) }
    }

    @Test("The result does not depend on input order")
    func deterministic() throws {
        var records: [VictimRecord] = []
        for n in UInt8(1)...12 {
            records.append(Fixtures.record(n, arabic: n % 2 == 0 ? "محمد العلي" : nil, latin: n % 2 == 1 ? "Mohamed al-Ali" : nil,
                                           sex: .male, age: .years(30 + n % 3), day: 20 + Int64(n % 3)))
        }
        let forward = try dedup.run(records)
        let backward = try dedup.run(records.reversed())
        #expect(forward.clusters == backward.clusters)
        #expect(forward.review == backward.review)
    }
}
