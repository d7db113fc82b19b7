import Foundation
import HTTPTypes
import Hummingbird
import IsnadTransparency
import NIOCore

/// The transparency log under `/log/`, exactly as c2sp.org/tlog-tiles lays it out:
/// `/log/checkpoint`, `/log/tile/<L>/<N>[.p/<W>]` and `/log/tile/entries/<N>[.p/<W>]`.
struct LogRoutes<Context: RequestContext>: Sendable {
    let observatory: Observatory

    /// Full tiles and bundles never change (c2sp.org/tlog-tiles: "SHOULD be cached … immutable").
    static var immutable: String { "public, max-age=31536000, immutable" }

    func register(on router: Router<Context>) {
        let group = router.group("log").add(middleware: ObservatoryProblemMiddleware<Context>(logger: observatory.logger))
        group.get("checkpoint") { _, _ in
            guard let checkpoint = try await observatory.store.latestCheckpoint() else {
                throw ObservatoryError(.notFound, "The log has no checkpoint yet; it is signed after the first accepted report.")
            }
            return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-cache"],
                            body: .init(byteBuffer: ByteBuffer(bytes: checkpoint.note)))
        }
        group.get("tile/**") { request, _ in try await tile(request) }
    }

    func tile(_ request: Request) async throws -> Response {
        let path = String(request.uri.path.dropFirst("/log/".count))
        let reader = LogReader(store: observatory.store)
        let data: [UInt8]?
        let tile: Tile
        do {
            if path.hasPrefix("tile/entries/") {
                tile = try Tile(entriesPath: path)
                data = try await reader.entryBundle(tile)
            } else {
                tile = try Tile(path: path)
                data = try await reader.tileData(tile)
            }
        } catch let error as TransparencyError {
            throw ObservatoryError(.notFound, "Not a tlog-tiles path: \(error.message)", underlying: error)
        }
        guard let data else { throw ObservatoryError(.notFound, "The log does not hold \(path) yet.") }
        var headers: HTTPFields = [.contentType: "application/octet-stream"]
        if tile.isFull { headers[.cacheControl] = Self.immutable }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
