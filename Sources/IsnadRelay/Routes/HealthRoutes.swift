import Hummingbird

/// `GET /healthz`: 200 once the relay answers requests.
struct HealthRoutes {
    struct Health: Encodable { let status = "ok" }

    func register(on router: Router<RelayRequestContext>) {
        router.get("healthz") { _, _ in try JSONBody.response(Health()) }
    }
}
