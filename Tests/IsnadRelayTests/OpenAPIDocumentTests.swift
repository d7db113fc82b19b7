import Foundation
import Logging
import Testing

@testable import IsnadRelay
import IsnadStore

/// docs/openapi.yaml and the routers describe the same routes.
@Suite("docs/openapi.yaml")
struct OpenAPIDocumentTests {
    static let documentURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/openapi.yaml")

    /// `GET /v1/messages`-style lines for every operation under `paths:` (a line-based reading:
    /// paths at two spaces, methods at four).
    static func documentedRoutes() throws -> Set<String> {
        let text = try String(contentsOf: documentURL, encoding: .utf8)
        var routes: Set<String> = []
        var inPaths = false
        var path: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "paths:" { inPaths = true; continue }
            guard inPaths else { continue }
            if !line.hasPrefix(" "), !line.isEmpty { break }
            if line.hasPrefix("  /"), !line.hasPrefix("   "), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
            } else if let path, line.hasPrefix("    "), !line.hasPrefix("     "),
                      let method = ["get", "post", "put", "patch", "delete"].first(where: { line == "    \($0):" }) {
                routes.insert("\(method.uppercased()) \(path)")
            }
        }
        return routes
    }

    static func servedRoutes() -> Set<String> {
        let dependencies = RelayDependencies(
            store: InMemoryRelayStore(), configuration: RelayConfiguration(), now: { Date() }, logger: Logger(label: "test"))
        let routes = Relay.makeRouter(dependencies).routes + Relay.makeWebSocketRouter(dependencies).routes
        return Set(routes.map { route in
            let path = route.path.description.split(separator: "/").map { segment in
                segment.hasPrefix(":") ? "{\(segment.dropFirst())}" : String(segment)
            }.joined(separator: "/")
            return "\(route.method.rawValue) /\(path)"
        })
    }

    @Test("every served route is documented, and every documented route is served")
    func sameRoutes() throws {
        let documented = try Self.documentedRoutes()
        let served = Self.servedRoutes()
        #expect(documented.count >= 13)
        #expect(served.subtracting(documented).isEmpty, "served but not documented: \(served.subtracting(documented).sorted())")
        #expect(documented.subtracting(served).isEmpty, "documented but not served: \(documented.subtracting(served).sorted())")
    }

    @Test("every problem code the relay can send is listed")
    func problemCodes() throws {
        let text = try String(contentsOf: Self.documentURL, encoding: .utf8)
        let codes: [RelayError.Code] = [
            .malformedRequest, .malformedMLS, .mlsHeaderMismatch, .requestTooLarge, .invalidSignature, .unauthorized, .unknownDevice, .unknownIdentity,
            .noKeyPackage, .alreadyRegistered, .epochConflict, .messageIDReused, .rateLimited, .notFound, .unavailable, .internal,
            .unknownAttachment, .attachmentConflict, .offsetMismatch, .attachmentHashMismatch, .attachmentIncomplete, .rangeNotSatisfiable,
            .deviceLimit, .lastDevice,
        ]
        for code in codes {
            #expect(text.contains(code.rawValue), "\(code) is missing from the Problem schema")
        }
    }
}
