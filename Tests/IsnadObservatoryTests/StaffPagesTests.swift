import Foundation
import Hummingbird
import HummingbirdTesting
import IsnadObservatory
import IsnadStore
import IsnadWire
import Testing

/// The staff web pages through the observatory's own router: sign-in, cookie, CSRF, queue, report, decisions, publish.
@Suite("Staff pages")
struct StaffPagesTests {
    typealias F = ObservatoryFixtures

    @Test("sign in, read the queue and a report, verify with a note, publish; no cookie or no CSRF token is refused")
    func workflow() async throws {
        let store = InMemoryObservatoryStore()
        let observatory = try F.observatory(store: store)
        let id = SubmissionID.random()
        var report = F.report(7, occurred: Date() - 3600)
        report.narrative = "Shelling of the market <script>"
        _ = try await observatory.intake.submit(id, sealed: try F.sealed(report, by: F.reporter(), to: observatory.keys.publicKeys), now: Date())
        try await StaffAccounts(store: store).add("amal", passphrase: "a long passphrase", now: Date())
        let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

        try await observatory.makeApplication(host: "127.0.0.1", port: 0).test(.router) { client in
            try await client.execute(uri: "/observatory/staff/", method: .get) { response in
                #expect(response.status == .seeOther && response.headers[.location] == "/observatory/staff/login", "signed out: to the login")
            }
            try await client.execute(uri: "/observatory/staff/login", method: .post, headers: form, body: ByteBuffer(string: "name=amal&passphrase=wrong+one+here")) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.setCookie] == nil)
            }
            let cookie = try await client.execute(
                uri: "/observatory/staff/login", method: .post, headers: form, body: ByteBuffer(string: "name=amal&passphrase=a+long+passphrase")
            ) { response in
                let setCookie = try #require(response.headers[.setCookie])
                #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict") && !setCookie.contains("Secure"))
                return String(try #require(setCookie.split(separator: ";").first))
            }
            let signedIn: HTTPFields = [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"]
            let queue = try await client.execute(uri: "/observatory/staff/", method: .get, headers: signedIn) { response in
                #expect(response.status == .ok)
                return String(buffer: response.body)
            }
            #expect(queue.contains(id.description) && queue.contains("open"))
            let csrf = try #require(queue.firstRange(of: #/name="csrf" value="([^"]+)"/#).map { String(queue[$0].split(separator: "\"")[3]) })
            try await client.execute(uri: "/observatory/staff/reports/\(id)", method: .get, headers: signedIn) { response in
                let page = String(buffer: response.body)
                #expect(page.contains("Shelling of the market &lt;script&gt;"), "the decrypted content, escaped")
            }
            try await client.execute(
                uri: "/observatory/staff/reports/\(id)/decisions", method: .post, headers: signedIn, body: ByteBuffer(string: "action=verify&note=two+witnesses")
            ) { response in
                #expect(response.status == .badRequest, "no CSRF token")
            }
            try await client.execute(
                uri: "/observatory/staff/reports/\(id)/decisions", method: .post, headers: form, body: ByteBuffer(string: "action=verify&csrf=\(csrf)")
            ) { response in
                #expect(response.status == .unauthorized, "no session")
            }
            #expect(try await store.reviewDecisions().isEmpty, "refused forms record nothing")
            try await client.execute(
                uri: "/observatory/staff/reports/\(id)/decisions", method: .post, headers: signedIn,
                body: ByteBuffer(string: "action=verify&note=two+witnesses&csrf=\(csrf)")
            ) { response in
                #expect(response.status == .seeOther)
            }
            let decisions = try await store.reviewDecisions()
            #expect(decisions.map(\.action) == [.verify] && decisions.first?.staff == "amal" && decisions.first?.note == "two witnesses")
            try await client.execute(uri: "/observatory/staff/reports/\(SubmissionID.random())", method: .get, headers: signedIn) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/problem+json")
            }
            try await client.execute(uri: "/observatory/staff/victims", method: .get, headers: signedIn) { response in
                #expect(String(buffer: response.body).contains("No pairs to decide."))
            }
            try await client.execute(uri: "/observatory/staff/publish", method: .post, headers: signedIn, body: ByteBuffer(string: "csrf=\(csrf)")) { response in
                #expect(response.status == .seeOther && response.headers[.location] == "/observatory/staff/?published=1")
            }
            #expect(try await StoredPublishedSnapshots(store: store).publishedSnapshot(sequence: 1) != nil, "published and logged")
        }
    }
}
