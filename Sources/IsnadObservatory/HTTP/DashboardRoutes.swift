import Foundation
import HTTPTypes
import Hummingbird
import IsnadWire
import NIOCore

/// The public dashboard and the exports of every published snapshot, under `/observatory/`
/// (docs/observatory.md, "Dashboard and exports"; docs/openapi.yaml). No login: everything here
/// is published.
///
/// | route | what |
/// |---|---|
/// | `GET /observatory/dashboard[?lang=ar&from=&to=&governorate=&outcome=&status=]` | HTML: the newest snapshot, charts, figures |
/// | `GET /observatory/snapshots/{n}[?lang=ar]` | HTML: one snapshot, its hash, log entry and every figure's report commitments |
/// | `GET /observatory/snapshots/{n}.csv`, `.hxl.csv`, `.json` (filters as the dashboard) | the exports, streamed |
/// | `GET /observatory/snapshots.atom` | the Atom feed of snapshots |
///
/// `{n}` is the snapshot's sequence number or its 64-hex hash (as the Atom feed links it).
struct DashboardRoutes<Context: RequestContext>: Sendable {
    let observatory: Observatory

    /// The page renderer, with the log's current tree size for links to entry bundles.
    func pages() async throws -> DashboardPages {
        var pages = DashboardPages(base: "/observatory")
        pages.header = observatory.snapshotHeaders.header
        pages.logTreeSize = try await observatory.store.latestCheckpoint()?.treeSize
        return pages
    }

    func register(on router: Router<Context>) {
        let group = router.group("observatory").add(middleware: ObservatoryProblemMiddleware<Context>(logger: observatory.logger))
        group.get("dashboard", use: dashboard)
        group.get("snapshots.atom", use: feed)
        group.get("snapshots/:snapshot", use: snapshot)
    }

    @Sendable func dashboard(_ request: Request, context: Context) async throws -> Response {
        let (language, filter) = try Self.parameters(request, allowLanguage: true, gazetteer: observatory.gazetteer)
        let snapshots = try await observatory.snapshots.publishedSnapshots()
        return Self.html(try await pages().dashboard(snapshots, filter: filter, language: language))
    }

    @Sendable func snapshot(_ request: Request, context: Context) async throws -> Response {
        let text = context.parameters.get("snapshot") ?? ""
        let format = Format.allCases.first { text.hasSuffix($0.rawValue) } ?? .html
        let id = String(text.dropLast(format.rawValue.count))
        let (language, filter) = try Self.parameters(request, allowLanguage: format == .html, gazetteer: observatory.gazetteer)
        guard let published = try await find(id) else {
            throw ObservatoryError(.notFound, "No published snapshot has the number or hash '\(id.prefix(64))'; see /observatory/dashboard for the list.")
        }
        let snapshot = published.snapshot
        let header = observatory.snapshotHeaders.header(snapshot)
        let name = "isnad-snapshot-\(snapshot.sequence)"
        switch format {
        case .html:
            guard request.uri.queryParameters.allSatisfy({ $0.key == "lang" }) else {
                throw ObservatoryError(.malformedRequest, "A snapshot's page takes only 'lang'; filters apply to the dashboard and the exports.")
            }
            return Self.html(try await pages().snapshotPage(published, language: language))
        case .csv:
            return Self.download(type: "text/csv; charset=utf-8; header=present", filename: name + ".csv") { sink in
                try TallyCSVExporter.export(snapshot.figures.lazy.filter(filter.matches), header: header, to: &sink)
            }
        case .hxl:
            guard filter.outcomes.count <= 1 else {
                throw ObservatoryError(.malformedRequest, "An HXL export holds one outcome; give 'outcome' once (default killed).")
            }
            let outcome = filter.outcomes.first ?? .killed
            return Self.download(type: "text/csv; charset=utf-8; header=present", filename: "\(name)-\(outcome.rawValue).hxl.csv") { sink in
                try TallyHXLExporter.export(snapshot.figures.lazy.filter(filter.matches), outcome: outcome, header: header, to: &sink)
            }
        case .json:
            return Self.download(type: "application/json", filename: name + ".json") { sink in
                try TallyJSONExporter.export(snapshot.figures.lazy.filter(filter.matches), header: header, to: &sink)
            }
        }
    }

    @Sendable func feed(_ request: Request, context: Context) async throws -> Response {
        guard request.uri.queryParameters.isEmpty else {
            throw ObservatoryError(.malformedRequest, "The feed takes no query parameters.")
        }
        let snapshots = try await observatory.snapshots.publishedSnapshots()
        let base = (observatory.publicURL ?? "http://\(request.head.authority ?? "localhost")") + "/observatory"
        let exporter = AtomFeedExporter(baseURL: base, title: "Isnad observatory: snapshots", author: observatory.keys.origin)
        let entries = snapshots.map { SnapshotFeedEntry($0.snapshot) }
        let now = Int64(observatory.now().timeIntervalSince1970)
        var headers: HTTPFields = [.contentType: "application/atom+xml; charset=utf-8"]
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: ExportStreaming.body { sink in try exporter.export(entries, now: now, to: &sink) })
    }

    /// A snapshot by sequence number or by hash.
    func find(_ id: String) async throws -> PublishedSnapshot? {
        if let sequence = UInt64(id), id.allSatisfy(\.isASCII) {
            return try await observatory.snapshots.publishedSnapshot(sequence: sequence)
        }
        guard id.count == 64, id.allSatisfy(\.isHexDigit) else {
            throw ObservatoryError(.malformedRequest, "A snapshot is named by its sequence number (e.g. 3) or its 64-hex hash, optionally followed by .csv, .hxl.csv or .json.")
        }
        return try await observatory.snapshots.publishedSnapshots().first { observatory.snapshotHeaders.header($0.snapshot).hashHex == id.lowercased() }
    }

    enum Format: String, CaseIterable {
        // `.hxl.csv` before `.csv`: the first suffix that matches wins.
        case hxl = ".hxl.csv", csv = ".csv", json = ".json", html = ""
    }

    /// The language and the filter of a query. Empty values are ignored, as an HTML form sends
    /// fields left blank; `lang` is taken only by pages.
    static func parameters(_ request: Request, allowLanguage: Bool, gazetteer: Gazetteer) throws -> (DashboardLanguage, TallyFilter) {
        var pairs: [(name: String, value: String)] = []
        var language: DashboardLanguage = .en
        for (name, value) in request.uri.queryParameters where !value.isEmpty {
            if name == "lang", allowLanguage {
                guard let chosen = DashboardLanguage(rawValue: String(value)) else {
                    throw ObservatoryError(.malformedRequest, "'lang' is en or ar.")
                }
                language = chosen
            } else {
                pairs.append((String(name), String(value)))
            }
        }
        do {
            return (language, try TallyFilter(query: pairs, gazetteer: gazetteer))
        } catch {
            throw ObservatoryError(.malformedRequest, "Malformed filter: \(error.message)" + (error.field.map { " (parameter '\($0)')" } ?? "") + ".", underlying: error)
        }
    }

    static func html(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func download(type: String, filename: String, _ export: @escaping @Sendable (inout ExportStreaming.ChunkSink) throws -> Void) -> Response {
        var headers: HTTPFields = [.contentType: type]
        headers[.contentDisposition] = "attachment; filename=\"\(filename)\""
        // A published snapshot never changes.
        headers[.cacheControl] = "public, max-age=3600"
        return Response(status: .ok, headers: headers, body: ExportStreaming.body(export))
    }
}
