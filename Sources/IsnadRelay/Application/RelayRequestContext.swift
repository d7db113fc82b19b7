import Hummingbird
import HummingbirdWebSocket
import IsnadStore
import NIOCore
import Synchronization

/// The per-request context of the relay's routes: Hummingbird's core storage plus the device
/// that a bearer token authenticated, if any.
public struct RelayRequestContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The authenticated device; set by the bearer-token middleware on protected routes.
    public var device: DeviceID?
    /// The peer's address, for per-address rate limits only: never stored or logged. Read when
    /// the limit asks for it (formatting it costs a lock and a string), not for every request.
    var remoteAddress: String? { channel?.remoteAddress?.ipAddress }
    /// Where the WebSocket upgrade keeps its handler (behind ``WebSocketSlot``, so it can be let go).
    public var webSocket: WebSocketHandlerReference<Self> { webSocketSlot.reference }
    private let webSocketSlot = WebSocketSlot()
    /// The connection, for WebSocket liveness and to cut off a removed device's socket. Weak, so
    /// that the context never keeps a connection alive.
    weak let channel: (any Channel)?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.device = nil
        self.channel = source.channel
    }

    /// Lets go of the upgraded connection's handler: call once the WebSocket has ended.
    ///
    /// hummingbird-websocket's router stores the route's context, with its handler, inside the box
    /// that `webSocket` refers to, and never clears it: the context then holds the box that holds
    /// the context, a cycle that kept about 0.8 KiB per closed connection. Pointing the slot
    /// (shared by every copy of this context) at a fresh, empty reference drops the old box.
    func releaseWebSocketHandler() {
        webSocketSlot.reset()
    }

    /// The authenticated device, or a 401 problem if the route was reached without one.
    func requireDevice() throws -> DeviceID {
        guard let device else { throw RelayError(.unauthorized, "This route needs a bearer token.") }
        return device
    }
}

/// The one ``WebSocketHandlerReference`` of a request, shared by every copy of its context.
final class WebSocketSlot: Sendable {
    private let current = Mutex(WebSocketHandlerReference<RelayRequestContext>())

    var reference: WebSocketHandlerReference<RelayRequestContext> { current.withLock { $0 } }

    func reset() {
        current.withLock { $0 = .init() }
    }
}
