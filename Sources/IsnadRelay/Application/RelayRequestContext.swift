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
    /// the context, a cycle that kept about 0.8 KiB per closed connection. Emptying the slot
    /// (shared by every copy of this context) drops the old box; a later use makes a fresh one.
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
///
/// Made on first use: only a WebSocket upgrade asks for it, and every other request would pay
/// for an allocation it never uses (the reference's locked box).
final class WebSocketSlot: Sendable {
    private let current = Mutex<WebSocketHandlerReference<RelayRequestContext>?>(nil)

    var reference: WebSocketHandlerReference<RelayRequestContext> {
        current.withLock { current in
            if let current { return current }
            let made = WebSocketHandlerReference<RelayRequestContext>()
            current = made
            return made
        }
    }

    /// Whether the reference was ever made (for tests).
    var isMade: Bool { current.withLock { $0 != nil } }

    func reset() {
        current.withLock { $0 = nil }
    }
}
