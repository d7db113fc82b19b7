import HummingbirdCore
import Logging
import NIOCore

/// Adds the relay's own timeouts to a connection before the HTTP/1 handlers are added.
///
/// A WebSocket upgrade removes only the HTTP handlers that `base` added, so both handlers stay
/// for the whole connection. The write timeout goes first, in front of TLS: when it closes a
/// connection nothing can get through, so a TLS `close_notify` would only wait (5 s) for nothing.
/// The header timeout goes after TLS, so the handshake counts against it.
///
/// ```
/// accept ─▶ WriteTimeoutHandler ─▶ [TLS] ─▶ RequestHeadTimeoutHandler ─▶ HTTP/1 ─▶ upgrade or Hummingbird
///           closes when the peer             closes at `headTimeout` unless
///           takes nothing for                it has seen CR LF CR LF
///           `writeTimeout`
/// ```
struct ConnectionTimeoutsChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value
    let base: Base
    /// The header timeout: see ``RequestHeadTimeoutHandler``.
    let headTimeout: TimeAmount
    /// The write timeout: see ``WriteTimeoutHandler``.
    let writeTimeout: TimeAmount
    /// Told which timeout closed a connection (`request-head` or `write`).
    let timedOut: @Sendable (String) -> Void

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let handlers = channel.pipeline.syncOperations
            try handlers.addHandler(WriteTimeoutHandler(timeout: writeTimeout) { timedOut("write") }, position: .first)
            try handlers.addHandler(RequestHeadTimeoutHandler(timeout: headTimeout) { timedOut("request-head") })
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
