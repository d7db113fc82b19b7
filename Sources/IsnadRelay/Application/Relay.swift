import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import IsnadStore
import Logging
import NIOCore
import NIOSSL

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
    ///   - logger: The relay's own messages carry counts and keyed hashes of IDs, at debug level
    ///     only; never keys, identifiers or addresses. Hummingbird gets a copy that passes only
    ///     warnings and errors (its info messages name the listening address).
    ///   - onServerRunning: Called once the server listens, with its channel (whose local address
    ///     tells the port chosen for port 0).
    ///   - mount: Adds more routes on the same port after the relay's (under `isnad serve`, the
    ///     observatory's `/observatory/…` and `/log/…`); they pass the relay's metrics, problem
    ///     and per-address rate-limit middleware.
    /// - Throws: When the TLS configuration cannot be used.
    public static func makeApplication(
        configuration: RelayConfiguration,
        store: any RelayStore,
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "isnad.relay"),
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in },
        mount: (Router<RelayRequestContext>) -> Void = { _ in }
    ) throws -> Application<RouterResponder<RelayRequestContext>> {
        let dependencies = RelayDependencies(store: store, configuration: configuration, now: now, logger: logger)
        let server = try makeServer(configuration, metrics: dependencies.metrics, webSocketRouter: makeWebSocketRouter(dependencies))
        let router = makeRouter(dependencies)
        mount(router)
        var app = Application(
            router: router,
            server: server,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: onServerRunning,
            // Hummingbird logs the listening address at info: only its warnings and errors pass.
            logger: LogRedaction.frameworkLogger(logger))
        app.addServices(ExpirySweeper(dependencies: dependencies))
        if let source = store as? any MailboxWakeupSource {
            app.addServices(MailboxWatcher(source: source, signal: dependencies.signal))
        }
        return app
    }

    /// HTTP/1.1 with the WebSocket upgrade, the idle, header and write timeouts, and TLS if configured.
    /// - Throws: When the TLS configuration cannot be used (checked here, not at the first connection).
    static func makeServer(_ configuration: RelayConfiguration, metrics: RelayMetrics,
                           webSocketRouter: Router<RelayRequestContext>) throws -> HTTPServerBuilder {
        let timeout = timeAmount(configuration.idleTimeout)
        let writeTimeout = timeAmount(configuration.writeTimeout)
        let channel = HTTP1WebSocketUpgradeChannel.Configuration(
            // No auto-ping task per connection: ``WebSocketLiveness`` closes silent WebSockets.
            http1: .init(idleTimeout: timeout), ws: .init(maxFrameSize: configuration.maxWebSocketFrameSize, autoPing: .disabled))
        let webSocketResponder = webSocketRouter.buildResponder()
        let tls = configuration.tls
        if let tls {
            _ = try NIOSSLContext(configuration: tls)
        }
        return HTTPServerBuilder { responder in
            let http = ConnectionTimeoutsChannel(
                base: SmallReceiveBuffers(base: HTTP1WebSocketUpgradeChannel(
                    responder: responder, webSocketResponder: webSocketResponder, configuration: channel)),
                headTimeout: timeout, writeTimeout: writeTimeout, timedOut: metrics.countTimedOutConnection)
            guard let tls else { return http }
            return try TLSChannel(http, tlsConfiguration: tls)
        }
    }

    /// A timeout in seconds for NIO, bounded to 1 ms...1 day so no configured value can overflow
    /// NIO's nanoseconds.
    static func timeAmount(_ seconds: TimeInterval) -> TimeAmount {
        let bounded = seconds.isFinite ? min(max(seconds, 0.001), 86400) : 86400
        return .milliseconds(Int64(bounded * 1000))
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

    /// `/v1` routes that need a bearer token, limited per device and per identity.
    static func authenticatedGroup(_ router: Router<RelayRequestContext>, _ dependencies: RelayDependencies) -> RouterGroup<RelayRequestContext> {
        var group = router.group("v1").add(middleware: BearerAuthenticator(dependencies: dependencies))
        if let limiter = dependencies.deviceLimiter {
            group = group.add(middleware: RateLimitMiddleware(limiter: limiter, now: dependencies.now, key: { _, context in context.device?.description }, subject: "device"))
        }
        if let limiter = dependencies.identityLimiter {
            let identities = dependencies.identities
            group = group.add(middleware: RateLimitMiddleware(limiter: limiter, now: dependencies.now, key: { _, context in
                guard let device = context.device else { return nil }
                return try await identities.identity(of: device)
            }, subject: "account"))
        }
        return group
    }
}

/// Starts each connection with a 512-byte receive buffer instead of NIO's 2 KiB.
///
/// NIO keeps a connection's last receive buffer for the next read, so an idle WebSocket holds
/// one for its whole life: 2 KiB of its 32 KiB budget (issue 4). A WebSocket upgrade request
/// with a bearer token and a small ack usually fit in 512 bytes; NIO's adaptive allocator still
/// doubles the buffer (up to 64 KiB) each time a read fills it, so an upload reaches full-size
/// reads after two more reads than before.
struct SmallReceiveBuffers<Base: ServerChildChannel>: ServerChildChannel {
    let base: Base

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Base.Value> {
        do {
            try channel.syncOptions?.setOption(
                ChannelOptions.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 512, maximum: 65536))
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return base.setup(channel: channel, logger: logger)
    }

    func handle(value: Base.Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
