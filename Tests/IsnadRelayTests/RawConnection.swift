import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A plain TCP connection to 127.0.0.1, for what an HTTP client library will not do: stay
/// silent, send half a request head, pause in the middle of a body, or read an answer slowly.
final class RawConnection {
    private let socket: Int32

    /// - Parameter receiveBuffer: A small `SO_RCVBUF` (set before connecting, so the TCP window
    ///   stays small too) makes the relay's writes block once the client stops reading.
    init(port: Int, receiveBuffer: Int32? = nil) throws {
        var address: sockaddr_in
        (socket, address) = try LoopbackPort.tcpSocket(port: port)
        if var size = receiveBuffer {
            setsockopt(socket, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(socket)
            throw CrashTestError("connect() to port \(port) failed")
        }
    }

    deinit { close(socket) }

    func send(_ text: String) throws { try send(Data(text.utf8)) }

    func send(_ data: Data) throws {
        let sent = data.withUnsafeBytes { bytes in
            #if canImport(Glibc)
            Glibc.send(socket, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
            #else
            Darwin.send(socket, bytes.baseAddress, bytes.count, 0)
            #endif
        }
        guard sent == data.count else { throw CrashTestError("send() failed") }
    }

    /// What has arrived so far, without waiting, and whether the peer has closed the connection
    /// (or reset it). For async tests, which must not block a thread of the cooperative pool.
    /// - Parameter limit: Read at most this many bytes, to read slowly.
    func readAvailable(limit: Int = .max) -> (data: Data, closed: Bool) {
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: min(16 * 1024, limit))
        while received.count < limit {
            let count = recv(socket, &buffer, min(buffer.count, limit - received.count), Int32(MSG_DONTWAIT))
            if count > 0 {
                received.append(contentsOf: buffer[0..<count])
            } else {
                let closed = count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                return (received, closed)
            }
        }
        return (received, false)
    }

    /// Reads at most `step` bytes every `pause` until the peer closes the connection or `timeout`
    /// passes, without blocking a thread; returns what arrived and whether the peer closed.
    func readSlowly(step: Int = .max, pause: Duration = .milliseconds(10), timeout: Duration) async throws -> (data: Data, closed: Bool) {
        var received = Data()
        let end = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < end {
            let (data, closed) = readAvailable(limit: step)
            received.append(data)
            if closed { return (received, true) }
            try await Task.sleep(for: pause)
        }
        return (received, false)
    }

    /// Reads until the peer closes the connection or `timeout` passes; returns what arrived and
    /// whether the peer closed (`false`: still open at the end of the wait).
    func readUntilClosed(timeout: Duration) -> (data: Data, closed: Bool) {
        var received = Data()
        let end = ContinuousClock.now.advanced(by: timeout)
        var wait = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while ContinuousClock.now < end {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count > 0 {
                received.append(contentsOf: buffer[0..<count])
            } else if count == 0 {
                return (received, true)
            } else if errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR {
                return (received, true)   // reset by the peer: closed as well
            }
        }
        return (received, false)
    }
}
