import Foundation
import Hummingbird
import IsnadStore
import IsnadWire
import NIOCore

/// The staff web pages under `/observatory/staff/` (docs/observatory.md, "Staff pages"):
///
/// ```
/// GET  login ─ POST login (name, passphrase) ─▶ session cookie (HttpOnly, SameSite=Strict, Secure under TLS)
/// GET  /                      the queue, and the publish button
/// GET  reports/{id}           a report's content, with claim / verify / reject / evidence-seen forms
/// POST reports/{id}/decisions
/// GET  victims · POST victims  the uncertain pairs, same / different
/// POST publish · POST logout
/// ```
/// Every form carries the session's CSRF token; a POST without it (or without a session) is refused.
struct StaffRoutes<Context: RequestContext>: Sendable {
    let observatory: Observatory
    let sessions: StaffSessions
    let secureCookies: Bool
    static var cookie: String { "isnad_staff" }

    var desk: ReviewDesk { ReviewDesk(store: observatory.store) }

    func register(on router: Router<Context>) {
        let group = router.group("observatory/staff").add(middleware: ObservatoryProblemMiddleware<Context>(logger: observatory.logger))
        group.get("login") { _, _ in Self.html(StaffTemplates.page("login", title: "Sign in", staff: nil, csrf: nil, [:])) }
        group.post("login", use: login)
        group.post("logout", use: logout)
        group.get("", use: queue)
        group.get("reports/:id", use: report)
        group.post("reports/:id/decisions", use: decide)
        group.get("victims", use: victims)
        group.post("victims", use: decideVictims)
        group.post("publish", use: publish)
    }

    // MARK: Sign-in

    @Sendable func login(_ request: Request, context: Context) async throws -> Response {
        let form = try await Self.form(request)
        let name = form["name"] ?? "", passphrase = form["passphrase"] ?? ""
        guard try await StaffAccounts(store: observatory.store).authenticate(name, passphrase: passphrase) else {
            return Self.html(StaffTemplates.page("login", title: "Sign in", staff: nil, csrf: nil, ["failed": true]), status: .unauthorized)
        }
        let token = await sessions.start(for: name, now: observatory.now())
        var response = Self.redirect("/observatory/staff/")
        let secure = secureCookies ? "; Secure" : ""
        response.headers[.setCookie] = "\(Self.cookie)=\(token); Path=/observatory/staff; HttpOnly; SameSite=Strict\(secure); Max-Age=\(Int(StaffSessions.lifetime))"
        return response
    }

    @Sendable func logout(_ request: Request, context: Context) async throws -> Response {
        let (_, token) = try await checkedForm(request)
        await sessions.end(token)
        var response = Self.redirect("/observatory/staff/login")
        response.headers[.setCookie] = "\(Self.cookie)=; Path=/observatory/staff; HttpOnly; SameSite=Strict; Max-Age=0"
        return response
    }

    // MARK: Pages

    @Sendable func queue(_ request: Request, context: Context) async throws -> Response {
        guard let session = await session(request) else { return Self.redirect("/observatory/staff/login") }
        let reports = try await desk.queue().map { item -> [String: Any] in
            [
                "id": item.submissionID.description, "state": item.state, "evidence": item.evidence != nil, "claimedBy": item.claim?.staff ?? "",
                "type": item.reviewed.report.incidentType.rawValue, "occurred": "\(item.reviewed.report.occurred)",
                "victims": item.reviewed.report.victims.count,
            ]
        }
        var values: [String: Any] = ["reports": reports]
        if let sequence = request.uri.queryParameters.get("published", as: UInt64.self),
            let published = try await StoredPublishedSnapshots(store: observatory.store).all(includingUnlogged: true).first(where: { $0.sequence == sequence })
        {
            values["published"] = ["sequence": published.sequence, "hash": published.hashHex]
        }
        return Self.html(StaffTemplates.page("queue", title: "Review queue", staff: session.staff, csrf: session.csrf, values))
    }

    @Sendable func report(_ request: Request, context: Context) async throws -> Response {
        guard let session = await session(request) else { return Self.redirect("/observatory/staff/login") }
        let id = try Self.submissionID(context)
        guard let item = try await desk.review(of: id) else { throw ObservatoryError(.notFound, "There is no accepted report with that submission ID.") }
        let report = item.reviewed.report
        let place = [report.place.governorate, report.place.district, report.place.locality].compactMap { $0 }.joined(separator: ", ")
        var values: [String: Any] = [
            "id": id.description, "commitment": CommitmentText.hex(item.reviewed.commitment), "state": item.state,
            "evidence": item.evidence != nil, "type": report.incidentType.rawValue, "occurred": "\(report.occurred)", "place": place,
            "perpetrator": "\(report.perpetrator)", "narrative": report.narrative, "evidenceCount": report.evidence.count,
            "victims": report.victims.enumerated().map { index, victim -> [String: Any] in
                [
                    "index": index, "name": victim.displayName,
                    "details": [victim.sex.map { "\($0)" }, victim.age.map { "\($0)" }, victim.category.map { "\($0)" }, victim.outcome.map { "\($0)" }]
                        .compactMap { $0 }.joined(separator: ", "),
                ]
            },
        ]
        if let claim = item.claim { values["claimedBy"] = claim.staff }
        if let verdict = item.verdict {
            values["verdict"] = verdict.summary
        }
        return Self.html(StaffTemplates.page("report", title: "Report", staff: session.staff, csrf: session.csrf, values))
    }

    @Sendable func victims(_ request: Request, context: Context) async throws -> Response {
        guard let session = await session(request) else { return Self.redirect("/observatory/staff/login") }
        let pairs = try await desk.victimPairs().map { pair -> [String: Any] in
            [
                "first": VictimPairSubject.text(pair.first.id), "second": VictimPairSubject.text(pair.second.id),
                "firstName": pair.first.victim.displayName, "secondName": pair.second.victim.displayName,
                "reason": pair.item.reason.rawValue, "reasons": pair.reasons.joined(separator: ", "),
            ]
        }
        return Self.html(StaffTemplates.page("victims", title: "Victim pairs", staff: session.staff, csrf: session.csrf, ["pairs": pairs]))
    }

    // MARK: Decisions

    @Sendable func decide(_ request: Request, context: Context) async throws -> Response {
        let (form, token) = try await checkedForm(request)
        guard let session = await sessions.session(token, now: observatory.now()) else { throw Self.signedOut }
        let id = try Self.submissionID(context)
        guard let action = form["action"].flatMap(ReviewDecision.Action.init(rawValue:)), action.isAboutReport else {
            throw ObservatoryError(.malformedRequest, "The action is one of claim, verify, reject, evidence-seen.")
        }
        try await desk.decide(action, report: id, by: session.staff, note: form["note"] ?? "", at: observatory.now())
        return Self.redirect("/observatory/staff/reports/\(id)")
    }

    @Sendable func decideVictims(_ request: Request, context: Context) async throws -> Response {
        let (form, token) = try await checkedForm(request)
        guard let session = await sessions.session(token, now: observatory.now()) else { throw Self.signedOut }
        guard let verdict = form["verdict"], verdict == "same" || verdict == "different" else {
            throw ObservatoryError(.malformedRequest, "The verdict is same or different.")
        }
        try await desk.decideVictims(form["first"] ?? "", form["second"] ?? "", same: verdict == "same", by: session.staff, at: observatory.now())
        return Self.redirect("/observatory/staff/victims")
    }

    @Sendable func publish(_ request: Request, context: Context) async throws -> Response {
        _ = try await checkedForm(request)
        let snapshot = try await Publisher(desk: desk).publish(now: observatory.now())
        // Log it now rather than on the next tick; a failure leaves it to the tick.
        _ = try? await observatory.sequencer.appendBatch()
        return Self.redirect("/observatory/staff/?published=\(snapshot.sequence)")
    }

    // MARK: Plumbing

    static var signedOut: ObservatoryError { ObservatoryError(.unauthorized, "Sign in at /observatory/staff/login first.") }

    /// The session named by the request's cookie.
    func session(_ request: Request) async -> StaffSessions.Session? {
        guard let token = Self.cookieToken(request) else { return nil }
        return await sessions.session(token, now: observatory.now())
    }

    /// The form of a POST whose CSRF token matches its session's; and the session token.
    func checkedForm(_ request: Request) async throws -> ([String: String], String) {
        guard let token = Self.cookieToken(request), let session = await sessions.session(token, now: observatory.now()) else { throw Self.signedOut }
        let form = try await Self.form(request)
        guard ConstantTimeBytes.equal(Array((form["csrf"] ?? "").utf8), Array(session.csrf.utf8)) else {
            throw ObservatoryError(.malformedRequest, "The form's CSRF token is missing or stale; reload the page and try again.")
        }
        return (form, token)
    }

    static func cookieToken(_ request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for part in header.split(separator: ";") {
                let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if pair.count == 2, pair[0] == cookie { return String(pair[1]) }
            }
        }
        return nil
    }

    /// An `application/x-www-form-urlencoded` body (at most 16 KiB).
    static func form(_ request: Request) async throws -> [String: String] {
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: 16 * 1024)
        } catch {
            throw ObservatoryError(.requestTooLarge, "A staff form is at most 16 KiB.")
        }
        var fields: [String: String] = [:]
        for pair in String(decoding: body.readableBytesView, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (text: Substring) in text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding }
            guard let key = decode(parts[0]), let value = parts.count == 2 ? decode(parts[1]) : "" else {
                throw ObservatoryError(.malformedRequest, "The form is not URL-encoded.")
            }
            fields[key] = value
        }
        return fields
    }

    static func submissionID(_ context: Context) throws -> SubmissionID {
        guard let text = context.parameters.get("id"), let id = SubmissionID(text) else {
            throw ObservatoryError(.malformedRequest, "A report is named by its submission ID, a UUID.")
        }
        return id
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store", .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }
}
