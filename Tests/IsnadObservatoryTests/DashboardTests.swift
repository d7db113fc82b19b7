import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IsnadWire
import Testing

@testable import IsnadObservatory

@Suite("Dashboard")
struct DashboardTests {
    static func get(_ app: some ApplicationProtocol, _ uri: String) async throws -> (HTTPResponse.Status, HTTPFields, String) {
        let (status, headers, body) = try await DashboardFixtures.get(app, uri)
        return (status, headers, String(decoding: body, as: UTF8.self))
    }

    @Test("The English dashboard shows the newest snapshot's figures, totals, three charts and the snapshot list")
    func english() async throws {
        let (first, second) = try DashboardFixtures.snapshots()
        let app = try DashboardFixtures.application([first, second])
        let (status, headers, html) = try await Self.get(app, "/observatory/dashboard")
        #expect(status == .ok)
        #expect(headers[.contentType] == "text/html; charset=utf-8")
        #expect(html.contains("<html lang=\"en\" dir=\"ltr\">"))
        #expect(html.contains("<code class=\"hash\" dir=\"ltr\">\(second.snapshot.hashHex)</code>"))
        #expect(!html.contains("<script"), "readable without JavaScript: the page has no script")
        let rows = html.components(separatedBy: "class=\"figure\"").count - 1
        #expect(rows == second.snapshot.figures.count)
        for (index, figure) in second.snapshot.figures.enumerated() {
            #expect(html.contains("href=\"/observatory/snapshots/2?lang=en#figure-\(index)\">\(figure.atLeast)</a>"))
        }
        for (outcome, total) in DashboardFixtures.totals(second.snapshot.figures) {
            #expect(html.contains("<div data-outcome=\"\(outcome.rawValue)\"><dt>\(outcome.rawValue)</dt><dd class=\"n\">\(total)</dd></div>"))
        }
        for id in ["chart-time", "chart-governorate", "chart-category"] {
            #expect(html.contains("<figure class=\"chart\" id=\"\(id)\">"))
        }
        #expect(html.components(separatedBy: "<svg ").count - 1 == 3)
        #expect(html.contains("href=\"/observatory/snapshots/1?lang=en\">Snapshot 1</a>"))
        #expect(html.contains("href=\"/observatory/snapshots/2.csv\""))
        #expect(html.contains("href=\"/log/tile/entries/001\" class=\"log-index\">300</a>"), "the log entry 300 is in the second entry bundle")
    }

    @Test("Text from reports is escaped: a governorate named with <, &, quotes and a formula stays text")
    func escaping() async throws {
        let (_, second) = try DashboardFixtures.snapshots()
        let app = try DashboardFixtures.application([second])
        for uri in ["/observatory/dashboard", "/observatory/snapshots/2"] {
            let (_, _, html) = try await Self.get(app, uri)
            #expect(!html.contains("<&>"))
            #expect(html.contains("&lt;&amp;&gt;"))
            #expect(html.contains("حلب، &quot;الشرقية&quot;"))
        }
    }

    @Test("Arabic: lang and dir=rtl, Arabic labels, the same figures, mirrored bars")
    func arabic() async throws {
        let (first, second) = try DashboardFixtures.snapshots()
        let app = try DashboardFixtures.application([first, second])
        let (status, _, html) = try await Self.get(app, "/observatory/dashboard?lang=ar")
        #expect(status == .ok)
        #expect(html.contains("<html lang=\"ar\" dir=\"rtl\">"))
        #expect(html.contains("على الأقل") && html.contains("قتلى"))
        #expect(html.contains("href=\"/observatory/dashboard?lang=en\" lang=\"en\""))
        for (index, figure) in second.snapshot.figures.enumerated() {
            #expect(html.contains("href=\"/observatory/snapshots/2?lang=ar#figure-\(index)\">\(figure.atLeast)</a>"))
        }
        #expect(html.contains("text-anchor=\"end\""))
        let (_, _, page) = try await Self.get(app, "/observatory/snapshots/2?lang=ar")
        #expect(page.contains("<html lang=\"ar\" dir=\"rtl\">"))
    }

    @Test("Filters narrow the figures and the totals; the form keeps them")
    func filters() async throws {
        let (_, second) = try DashboardFixtures.snapshots()
        let app = try DashboardFixtures.application([second])
        let (status, _, html) = try await Self.get(app, "/observatory/dashboard?outcome=injured&status=corroborated&from=")
        #expect(status == .ok)
        let expected = second.snapshot.figures.filter { $0.outcome == .injured && $0.status >= .corroborated }
        #expect(html.components(separatedBy: "class=\"figure\"").count - 1 == expected.count)
        #expect(html.contains("<option value=\"injured\" selected>"))
        #expect(html.contains("<dd class=\"n\">\(expected.map { UInt64($0.atLeast) }.reduce(0, +))</dd>"))
    }

    @Test("The snapshot page: sequence, hash, log index, previous hash linked, and every figure's report commitments")
    func snapshotPage() async throws {
        let (first, second) = try DashboardFixtures.snapshots()
        let app = try DashboardFixtures.application([first, second])
        let (status, _, html) = try await Self.get(app, "/observatory/snapshots/2")
        #expect(status == .ok)
        #expect(html.contains("<dd class=\"sequence\">2</dd>"))
        #expect(html.contains("<code class=\"hash\" dir=\"ltr\">\(second.snapshot.hashHex)</code>"))
        #expect(html.contains("class=\"log-index\">300</a>"))
        #expect(html.contains("<a href=\"/observatory/snapshots/1?lang=en\" class=\"previous\"><code>\(first.snapshot.hashHex)</code></a>"))
        for (index, figure) in second.snapshot.figures.enumerated() {
            let row = try #require(html.components(separatedBy: "id=\"figure-\(index)\"").dropFirst().first?.components(separatedBy: "</tr>").first)
            for commitment in figure.reports {
                #expect(row.contains("<code>\(CommitmentText.hex(commitment))</code>"))
            }
        }
        let (_, _, firstPage) = try await Self.get(app, "/observatory/snapshots/1")
        #expect(firstPage.contains("none (first snapshot)"))
        // The Atom feed links snapshots by hash; the page answers there too.
        let (byHash, _, _) = try await Self.get(app, "/observatory/snapshots/\(first.snapshot.hashHex)")
        #expect(byHash == .ok)
    }

    @Test("Before anything is published the dashboard says so")
    func empty() async throws {
        let app = try DashboardFixtures.application([])
        let (status, _, html) = try await Self.get(app, "/observatory/dashboard")
        #expect(status == .ok)
        #expect(html.contains("Nothing has been published yet."))
    }

    @Test("Bad input is an RFC 9457 problem with a 4xx", arguments: [
        ("/observatory/dashboard?from=2025-02-30", 400, "from"),
        ("/observatory/dashboard?colour=red", 400, "colour"),
        ("/observatory/dashboard?lang=fr", 400, "lang"),
        ("/observatory/dashboard?from=2025-12-01&to=2025-11-01", 400, "from"),
        ("/observatory/snapshots/99", 404, "99"),
        ("/observatory/snapshots/99.csv", 404, "99"),
        ("/observatory/snapshots/abc.json", 400, "sequence number"),
        ("/observatory/snapshots/2.csv?outcome=eaten", 400, "outcome"),
        ("/observatory/snapshots/2.csv?lang=ar", 400, "lang"),
        ("/observatory/snapshots/2.hxl.csv?outcome=killed&outcome=injured", 400, "one outcome"),
        ("/observatory/snapshots/2?from=2025-11-01", 400, "lang"),
        ("/observatory/snapshots.atom?x=1", 400, "no query"),
    ])
    func problems(uri: String, code: Int, mention: String) async throws {
        let (first, second) = try DashboardFixtures.snapshots()
        let app = try DashboardFixtures.application([first, second])
        let (status, headers, body) = try await Self.get(app, uri)
        #expect(status.code == code, "\(uri)")
        #expect(headers[.contentType] == "application/problem+json")
        let problem = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        #expect(problem?["status"] as? Int == code)
        #expect((problem?["detail"] as? String)?.contains(mention) == true, "\(body)")
    }
}

@Suite("Dashboard charts at scale")
struct DashboardScaleTests {
    @Test("Many days chart by month; the page stays bounded (at most 500 rows) for a 20,000-figure snapshot")
    func manyFigures() async throws {
        let snapshot = SyntheticSnapshot.make(rows: 20_000, sequence: 4)
        let app = try DashboardFixtures.application([PublishedSnapshot(snapshot: snapshot, logIndex: 2)])
        let (status, _, html) = try await DashboardTests.get(app, "/observatory/dashboard?outcome=killed")
        #expect(status == .ok)
        #expect(html.components(separatedBy: "class=\"figure\"").count - 1 == 500)
        #expect(html.contains("The exports hold all of them") || html.contains("the exports hold all of them"))
        // 20,000 figures over 6 × 14 a day span 239 days: charted as months.
        let time = try #require(html.components(separatedBy: "id=\"chart-time\"").dropFirst().first?.components(separatedBy: "</figure>").first)
        let months = Set(snapshot.figures.map { String($0.period.text.prefix(7)) })
        #expect(time.components(separatedBy: "<g class=\"bar\">").count - 1 == months.count)
        let killed = snapshot.figures.filter { $0.outcome == .killed }.reduce(UInt64(0)) { $0 + UInt64($1.atLeast) }
        #expect(html.contains("<dd class=\"n\">\(killed)</dd>"))
        #expect(html.utf8.count < 1_000_000)
    }
}
