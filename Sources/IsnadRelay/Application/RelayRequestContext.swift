import Hummingbird
import HummingbirdWebSocket
import IsnadStore
import NIOCore

/// The per-request context of the relay's routes: Hummingbird's core storage plus the device
/// that a bearer token authenticated, if any.
public struct RelayRequestContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The authenticated device; set by the bearer-token middleware on protected routes.
    public var device: DeviceID?
    /// The peer's address, for per-address rate limits only: never stored or logged.
    let remoteAddress: String?
    /// Where the WebSocket upgrade keeps its handler.
    public let webSocket: WebSocketHandlerReference<Self>
    /// The connection, for WebSocket liveness and to cut off a removed device's socket. Weak:
    /// Hummingbird keeps an upgraded connection's context in a reference cycle (the context holds
    /// `webSocket`, whose box holds the context), which would otherwise keep the channel forever.
    weak let channel: (any Channel)?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.device = nil
        self.webSocket = .init()
        self.remoteAddress = source.channel.remoteAddress?.ipAddress
        self.channel = source.channel
    }

    /// The authenticated device, or a 401 problem if the route was reached without one.
    func requireDevice() throws -> DeviceID {
        guard let device else { throw RelayError(.unauthorized, "This route needs a bearer token.") }
        return device
    }
}
