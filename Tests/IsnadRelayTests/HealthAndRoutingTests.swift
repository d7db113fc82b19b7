import Foundation
import Testing

@Suite("Health and routing")
struct HealthAndRoutingTests {
    @Test("GET /healthz answers 200")
    func health() async throws {
        try await withRelay { relay in
            let reply = try await relay.get("/healthz")
            #expect(reply.status == .ok)
            #expect(reply.json["status"] as? String == "ok")
        }
    }

    @Test("an unknown route is a 404 problem")
    func unknownRoute() async throws {
        try await withRelay { relay in
            try await relay.get("/v2/nothing").expectProblem(.notFound, "not-found")
            try await relay.request(.delete, "/healthz").expectProblem(.notFound, "not-found")
        }
    }
}
