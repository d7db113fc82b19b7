import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import IsnadKit
import IsnadObservatory
import IsnadStoreSQLite
import IsnadTransparency
import IsnadWire
import Testing

/// Issue 7's acceptance scenario against a real `isnad serve`: three reporters, two incidents,
/// one person named in Arabic script, without diacritics and in transliteration; staff review
/// with `isnad observatory review`; `isnad observatory publish`; the snapshot is in the log.
@Suite("Review and publication end to end (isnad serve)", .enabled(if: IsnadBinary.url != nil, "\(IsnadBinary.missing)"), .serialized)
struct ReviewPublicationEndToEndTests {
    /// The scenario's people, and every spelling the reporters use for each.
    static let people: [String: Set<String>] = [
        "muhammad": ["محمد خالد الأحمد", "Mohammed Khaled al-Ahmad", "مُحَمَّد خالد الاحمد"],
        "sara": ["سارة يوسف العلي", "Sara Youssef al-Ali", "سارة يوسف"],
        "omar": ["عمر حسن الشامي"],
    ]

    static func person(named name: String) -> String? {
        people.first { $0.value.contains(name) }?.key
    }

    static func report(_ type: IncidentType, _ time: Date, _ victims: [Victim]) -> Report {
        Report(
            incidentType: type, occurred: ReportTime(precision: .exact, secondsSinceEpoch: Int64(time.timeIntervalSince1970)),
            place: Place(governorate: "حلب", locality: "الشعار"), victims: victims, narrative: "A witness account.")
    }

    @Test("each victim counts once, sources are named, the snapshot's hash is in the served log; bad review input changes nothing")
    func acceptance() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("isnad-review-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try ServeProcess(folder: folder)
        defer { server.stop() }
        try await server.waitUntilHealthy()
        let data = ["--data", folder.appendingPathComponent("data").path]

        // Incident A (shelling, two days ago) from three reporters; incident B (air strike, yesterday) from the first.
        let shelling = Date() - 2 * 86400
        let strike = Date() - 86400
        let male = { (name: String, arabic: Bool, age: Int) in
            Victim(nameArabic: arabic ? name : nil, nameLatin: arabic ? nil : name, sex: .male, age: .years(UInt8(age)), category: .civilian, outcome: .killed)
        }
        let female = { (name: String, arabic: Bool) in
            Victim(nameArabic: arabic ? name : nil, nameLatin: arabic ? nil : name, sex: .female, age: .band(.child), outcome: .killed)
        }
        let reporters = (0..<3).map { _ in ObservatoryFixtures.reporter() }
        let filed: [(Int, Report)] = [
            (0, Self.report(.shelling, shelling, [male("محمد خالد الأحمد", true, 34), female("سارة يوسف العلي", true)])),
            (1, Self.report(.shelling, shelling + 600, [male("Mohammed Khaled al-Ahmad", false, 34), female("Sara Youssef al-Ali", false)])),
            (2, Self.report(.shelling, shelling + 1200, [male("مُحَمَّد خالد الاحمد", true, 35), Victim(nameArabic: "سارة يوسف", outcome: .killed)])),
            (0, Self.report(.airStrike, strike, [male("عمر حسن الشامي", true, 51)])),
        ]
        let sender = ReportSender(outbox: InMemoryReportOutbox())
        for (reporter, report) in filed {
            let item = try await sender.prepare(report, identity: reporters[reporter], observatory: server.baseURL)
            let done = try await sender.deliver(item.id, until: Date() + 60)
            guard case .delivered = done.state else {
                Issue.record("a report was not delivered: \(done.state)")
                return
            }
        }

        // Staff: one account; the queue lists the four reports, open.
        let staff = try await IsnadBinary.run(["observatory", "staff", "add", "amal"] + data, environment: ["ISNAD_STAFF_PASSPHRASE": "a long staff passphrase"])
        #expect(staff.status == 0, "staff add: \(staff.error)")
        let queue = try await Self.json(["observatory", "review", "queue", "--json"] + data) as? [[String: Any]] ?? []
        #expect(queue.count == 4)
        #expect(queue.allSatisfy { $0["state"] as? String == "open" })
        let ids = queue.compactMap { $0["id"] as? String }

        // Bad input: unknown report, unknown staff, malformed and unknown victim records. Each fails
        // with one sentence and leaves the queue exactly as it was.
        let before = try await IsnadBinary.run(["observatory", "review", "queue", "--json"] + data).output
        let bad: [[String]] = [
            ["verify", UUID().uuidString, "--as", "amal"],
            ["verify", ids[0], "--as", "nobody"],
            ["same", "abc#0", "def#1", "--as", "amal"],
            ["same", String(repeating: "ab", count: 32) + "#0", String(repeating: "cd", count: 32) + "#1", "--as", "amal"],
        ]
        for arguments in bad {
            let result = try await IsnadBinary.run(["observatory", "review"] + arguments + data)
            #expect(result.status != 0, "\(arguments) was accepted")
            #expect(result.error.split(separator: "\n").count == 1 && result.error.hasPrefix("isnad observatory review"), "not one sentence: \(result.error)")
        }
        #expect(try await IsnadBinary.run(["observatory", "review", "queue", "--json"] + data).output == before, "bad input changed nothing")

        // Claim, look at the evidence of the first, verify all four.
        for id in ids {
            for action in ["claim", "verify"] {
                let result = try await IsnadBinary.run(["observatory", "review", action, id, "--as", "amal", "--note", "checked with two witnesses"] + data)
                #expect(result.status == 0, "\(action): \(result.error)")
            }
        }
        #expect(try await IsnadBinary.run(["observatory", "review", "evidence-seen", ids[0], "--as", "amal"] + data).status == 0)
        let reviewed = try await Self.json(["observatory", "review", "queue", "--json"] + data) as? [[String: Any]] ?? []
        #expect(reviewed.allSatisfy { $0["state"] as? String == "verified" && $0["claimed_by"] as? String == "amal" })

        // The uncertain pairs: staff decide each from who the names belong to in the scenario.
        let pairs = try await Self.json(["observatory", "review", "victims", "--json"] + data) as? [[String: Any]] ?? []
        #expect(pairs.contains { ($0["names"] as? [String] ?? []).contains("سارة يوسف") }, "the shortened name is left to a person: \(pairs)")
        for pair in pairs {
            let names = pair["names"] as? [String] ?? []
            let people = names.map { Self.person(named: $0) }
            #expect(!(pair["reasons"] as? [String] ?? []).isEmpty, "a pair comes with its reasons")
            let verdict = people.count == 2 && people[0] != nil && people[0] == people[1] ? "same" : "different"
            let result = try await IsnadBinary.run(
                ["observatory", "review", verdict, pair["first"] as? String ?? "", pair["second"] as? String ?? "", "--as", "amal"] + data)
            #expect(result.status == 0, "\(verdict): \(result.error)")
        }

        // Publish: two figures (one a day); each victim once; the shelling has three independent sources.
        let published = try await Self.json(["observatory", "publish", "--as", "amal", "--json"] + data) as? [String: Any] ?? [:]
        let logIndex = try #require(published["log_index"] as? Int)
        let hashHex = try #require(published["hash"] as? String)
        let store = try SQLiteObservatoryStore(directory: folder.appendingPathComponent("data"))
        defer { try? store.close() }
        let snapshot = try #require(try await StoredPublishedSnapshots(store: store).publishedSnapshots().first)
        #expect(snapshot.logIndex == UInt64(logIndex))
        #expect(snapshot.snapshot.hashHex == hashHex)
        let figures = snapshot.snapshot.figures.sorted { $0.period.text < $1.period.text }
        try #require(figures.count == 2)
        #expect(figures[0].atLeast == 2, "Muhammad and Sara, each once, in three spellings each")
        #expect(figures[0].independentSources == 3)
        #expect(figures[0].reports.count == 3)
        #expect(figures[1].atLeast == 1)
        #expect(figures[1].independentSources == 1)

        // The snapshot's entry is in the log: inclusion proof against the served, signed checkpoint.
        let client = ObservatoryClient(baseURL: server.baseURL)
        let verifier = try await client.keys().logVerifier
        let checkpoint = try Checkpoint.open(try await client.checkpoint(), origin: verifier.name, verifiers: [verifier]).checkpoint
        #expect(checkpoint.treeSize > UInt64(logIndex))
        let proof = try await client.inclusionProof(index: UInt64(logIndex), treeSize: checkpoint.treeSize)
        let entry = SnapshotLogEntry.entry(hash: snapshot.snapshot.hash)
        #expect(entry.count != 32, "a snapshot entry cannot be taken for a report commitment")
        try MerkleProofVerifier.verifyInclusion(
            leafHash: MerkleTreeHash.leafHash(entry), leafIndex: UInt64(logIndex), treeSize: checkpoint.treeSize, proof: proof,
            rootHash: checkpoint.rootHash)

        // The audit knows snapshot entries apart from reports.
        let audit = try await IsnadBinary.run(["observatory", "audit", "--json"] + data)
        #expect(audit.status == 0, "audit: \(audit.output) \(audit.error)")

        // The running server's dashboard and every export show the published figures.
        let sequence = snapshot.snapshot.sequence
        func body(_ path: String) async throws -> String {
            let url = try #require(URL(string: server.baseURL.absoluteString + path))
            let (data, response) = try await URLSession.shared.data(from: url)
            #expect((response as? HTTPURLResponse)?.statusCode == 200, "GET \(path)")
            return String(decoding: data, as: UTF8.self)
        }
        for lang in ["en", "ar"] {
            let html = try await body("/observatory/dashboard?lang=\(lang)")
            #expect(html.contains(hashHex), "the dashboard names the snapshot it shows (\(lang))")
            for (index, figure) in snapshot.snapshot.figures.enumerated() {
                #expect(html.contains("#figure-\(index)\">\(figure.atLeast)</a>"), "figure \(index) on the dashboard (\(lang))")
            }
        }
        // The snapshot page links its log entry to the entry bundle served now, which holds it.
        let page = try await body("/observatory/snapshots/\(sequence)")
        let logLink = try #require(page.firstMatch(of: /href="(\/log\/tile\/entries\/[^"]+)" class="log-index"/)?.output.1)
        let bundle = try await body(String(logLink))
        #expect(bundle.utf8.count > entry.count, "the linked bundle \(logLink) holds entries")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(try await body("/observatory/snapshots/\(sequence).json").utf8)) as? [String: Any])
        let exported = try #require(json["figures"] as? [[String: Any]])
        #expect(exported.map { $0["at_least"] as? Int } == snapshot.snapshot.figures.map { Int($0.atLeast) })
        #expect(exported.map { $0["independent_sources"] as? Int } == snapshot.snapshot.figures.map { Int($0.independentSources) })
        let csvRows = try await body("/observatory/snapshots/\(sequence).csv").split(whereSeparator: \.isNewline).dropFirst()
        #expect(csvRows.count == snapshot.snapshot.figures.count)
        for (row, figure) in zip(csvRows, snapshot.snapshot.figures) {
            let fields = row.split(separator: ",", omittingEmptySubsequences: false)  // no quoted commas in these rows
            #expect(fields.count > 4 && fields[4] == Substring(String(figure.atLeast)), "CSV row \(row)")
        }
        let hxl = try await body("/observatory/snapshots/\(sequence).hxl.csv")
        #expect(hxl.contains("#affected+killed"))
        let hxlRows = hxl.split(whereSeparator: \.isNewline).dropFirst(2)
        #expect(hxlRows.count == snapshot.snapshot.figures.filter { $0.outcome == .killed }.count)
        let atom = try await body("/observatory/snapshots.atom")
        #expect(atom.contains(hashHex), "the Atom feed lists the snapshot")
    }

    static func json(_ arguments: [String]) async throws -> Any {
        let result = try await IsnadBinary.run(arguments)
        guard result.status == 0 else { throw ServeError("isnad \(arguments.prefix(3).joined(separator: " ")) failed: \(result.error)") }
        return try JSONSerialization.jsonObject(with: Data(result.output.utf8))
    }
}
