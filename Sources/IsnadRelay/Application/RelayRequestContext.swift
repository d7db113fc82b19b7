import Hummingbird
import IsnadStore

/// The per-request context of the relay's routes: Hummingbird's core storage plus the device
/// that a bearer token authenticated, if any.
public struct RelayRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The authenticated device; set by the bearer-token middleware on protected routes.
    public var device: DeviceID?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.device = nil
    }

    /// The authenticated device, or a 401 problem if the route was reached without one.
    func requireDevice() throws -> DeviceID {
        guard let device else { throw RelayError(.unauthorized, "This route needs a bearer token.") }
        return device
    }
}
