import Hummingbird
import Logging
import NIOCore

extension Observatory {
    /// Adds the observatory's routes (`/observatory/…`, the staff pages under `/observatory/staff/`)
    /// and the log (`/log/…`) to a router, such as the relay's under `isnad serve`.
    /// - Parameter secureCookies: mark the staff session cookie `Secure` (served over TLS).
    public func register<Context: RequestContext>(on router: Router<Context>, secureCookies: Bool = false) {
        ObservatoryRoutes<Context>(observatory: self).register(on: router)
        LogRoutes<Context>(observatory: self).register(on: router)
        StaffRoutes<Context>(observatory: self, sessions: staffSessions, secureCookies: secureCookies).register(on: router)
        DashboardRoutes<Context>(observatory: self).register(on: router)
    }

    /// An application serving the observatory alone (`isnad observatory serve`), with its
    /// background service and `/healthz`.
    /// - Parameters:
    ///   - host: the address to listen on.
    ///   - port: the TCP port (0 picks one).
    ///   - interval: the time between background ticks (checkpoints at most this often).
    public func makeApplication(
        host: String, port: Int, interval: Duration = .seconds(1),
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Router(context: BasicRequestContext.self)
        router.get("healthz") { _, _ in Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#))) }
        register(on: router)
        var app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: onServerRunning, logger: logger)
        app.addServices(ObservatoryService(observatory: self, interval: interval))
        return app
    }
}
