import Foundation
import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Relay {
    /// One sentence for an operator when the server could not listen on `host:port`, or `nil`
    /// when `error` is something else.
    ///
    /// NIO reports a failed `bind(2)` as `IOError` with the C function's name and errno; an
    /// operator needs to know which setting to change instead.
    public static func listenFailure(_ error: any Error, host: String, port: Int) -> String? {
        guard let error = error as? IOError else { return nil }
        switch error.errnoCode {
        case EADDRINUSE:
            return "Port \(port) on \(host) is already in use: stop the other server or choose another --port."
        case EACCES:
            return "Listening on port \(port) needs privileges this process lacks: choose a port from 1024 up, or put a reverse proxy in front."
        case EADDRNOTAVAIL:
            return "\(host) is not an address of this machine: choose one of its addresses with --host (0.0.0.0 for all)."
        default:
            return nil
        }
    }
}
