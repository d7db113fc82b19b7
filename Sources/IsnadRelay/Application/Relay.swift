import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import IsnadStore
import Logging
import NIOCore

/// The relay: a store-and-forward delivery service for MLS (RFC 9420 §14) that sees only ciphertext.
///
/// ```swift
/// let store = try SQLiteRelayStore(directory: dataFolder)
/// let app = try Relay.makeApplication(configuration: .init(), store: store)
/// try await app.runService()
/// ```
public enum Relay {
    /// Builds the relay's Hummingbird application: its routes and its expiry sweeper, which
    /// runs in the application's `ServiceGroup`.
    ///
    /// The caller runs the store's own services and migrations; with PostgreSQL:
    /// ```swift
    /// var app = try Relay.makeApplication(configuration: configuration, store: store)
    /// app.addServices(store)                                  // runs the connection pool
    /// app.beforeServerStarts { try await store.migrate() }
    /// ```
    /// - Parameters:
    ///   - configuration: Address, limits, lifetimes and TLS.
    ///   - store: Where everything is kept; any ``RelayStore`` engine.
    ///   - now: The clock; tests inject a fixed one.
    ///   - logger: Counts and hashed IDs at debug level only; never keys, identifiers or addresses.
    ///   - onServerRunning: Called once the server listens, with its channel (whose local address
    ///     tells the port chosen for port 0).
    /// - Throws: When the TLS configuration cannot be used.
    public static func makeApplication(
        configuration: RelayConfiguration,
        store: any RelayStore,
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "isnad.relay"),
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) throws -> Application<RouterResponder<RelayRequestContext>> {
        let dependencies = RelayDependencies(store: store, configuration: configuration, now: now, logger: logger)
        let idleTimeout = TimeAmount.milliseconds(Int64(configuration.idleTimeout * 1000))
        var server = HTTPServerBuilder.http1WebSocketUpgrade(
            webSocketRouter: makeWebSocketRouter(dependencies),
            configuration: .init(http1: .init(idleTimeout: idleTimeout), ws: .init(maxFrameSize: 64 * 1024)))
        if let tls = configuration.tls {
            server = try .tls(server, tlsConfiguration: tls)
        }
        var app = Application(
            router: makeRouter(dependencies),
            server: server,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: onServerRunning,
            logger: logger)
        app.addServices(ExpirySweeper(dependencies: dependencies))
        if let source = store as? any MailboxWakeupSource {
            app.addServices(MailboxWatcher(source: source, signal: dependencies.signal))
        }
        return app
    }

    /// The router alone, for embedding the relay's routes in a larger application.
    static func makeRouter(_ dependencies: RelayDependencies) -> Router<RelayRequestContext> {
        let router = Router(context: RelayRequestContext.self)
        router.add(middleware: MetricsMiddleware(metrics: dependencies.metrics))
        router.add(middleware: ProblemMiddleware(logger: dependencies.logger, metrics: dependencies.metrics))
        HealthRoutes().register(on: router)
        MetricsRoutes(metrics: dependencies.metrics).register(on: router)
        addRateLimits(to: router, dependencies)
        let v1 = router.group("v1")
        AccountRoutes(dependencies: dependencies).register(on: v1)
        AuthRoutes(dependencies: dependencies).register(on: v1)
        let authenticated = authenticatedGroup(router, dependencies)
        KeyPackageRoutes(dependencies: dependencies).register(on: authenticated)
        MessageRoutes(dependencies: dependencies).register(on: authenticated)
        GroupRoutes(dependencies: dependencies).register(on: authenticated)
        AttachmentRoutes(dependencies: dependencies).register(on: authenticated)
        DeviceRoutes(dependencies: dependencies).register(on: authenticated)
        return router
    }

    /// The router consulted for WebSocket upgrades: push of the mailbox.
    static func makeWebSocketRouter(_ dependencies: RelayDependencies) -> Router<RelayRequestContext> {
        let router = Router(context: RelayRequestContext.self)
        router.add(middleware: MetricsMiddleware(metrics: dependencies.metrics))
        router.add(middleware: ProblemMiddleware(logger: dependencies.logger, metrics: dependencies.metrics))
        addRateLimits(to: router, dependencies)
        PushRoutes(dependencies: dependencies).register(on: authenticatedGroup(router, dependencies))
        return router
    }

    /// Per-address limits on every route added after this call.
    static func addRateLimits(to router: Router<RelayRequestContext>, _ dependencies: RelayDependencies) {
        guard let limiter = dependencies.addressLimiter else { return }
        router.add(middleware: RateLimitMiddleware(limiter: limiter, now: dependencies.now, key: { _, context in context.remoteAddress }, subject: "address"))
    }

    /// `/v1` routes that need a bearer token, limited per device.
    static func authenticatedGroup(_ router: Router<RelayRequestContext>, _ dependencies: RelayDependencies) -> RouterGroup<RelayRequestContext> {
        let group = router.group("v1").add(middleware: BearerAuthenticator(dependencies: dependencies))
        guard let limiter = dependencies.deviceLimiter else { return group }
        return group.add(middleware: RateLimitMiddleware(limiter: limiter, now: dependencies.now, key: { _, context in context.device?.description }, subject: "device"))
    }
}
