import NIOCore

/// How far a client has got in taking what the relay sends it: what ``WriteTimeoutHandler``
/// compares to tell a slow client from one that stopped reading.
///
/// NIO's own buffer alone is too coarse: the kernel takes more from NIO only once a third or so
/// of the socket's send buffer is free (Linux autotunes that buffer up to 4 MiB), so a client
/// reading a steady few KiB/s could look stalled for a minute. Linux's `tcpi_bytes_acked` counts
/// every byte the client's TCP acknowledged, and it acknowledges new bytes only as its
/// application reads once its receive buffer is full.
struct SendProgress {
    /// Bytes the client's TCP acknowledged over the connection's life; 0 where the kernel does
    /// not say (not Linux, or Linux before 4.1).
    var acknowledged: UInt64 = 0
    /// Bytes NIO holds, waiting for the socket to take them.
    var waiting = 0

    /// Whether the client took bytes since `earlier`: its TCP acknowledged more, or the kernel
    /// took more from NIO (it frees room only as the client acknowledges).
    func isAhead(of earlier: SendProgress) -> Bool {
        acknowledged > earlier.acknowledged || waiting < earlier.waiting
    }

    /// Measures the connection of `context`; `body` gets the result on its event loop (at once:
    /// NIO asks the socket synchronously there). Only on a timer or a writability change, so a
    /// system call and a future are cheap enough.
    static func measure(_ context: ChannelHandlerContext, _ body: @escaping (SendProgress) -> Void) {
        let waiting = (try? context.channel.syncOptions?.getOption(.bufferedWritableBytes)) ?? 0
        #if os(Linux)
        if let socket = context.channel as? any SocketOptionProvider {
            let info: EventLoopFuture<LinuxTCPInfo> = socket.unsafeGetSocketOption(level: .tcp, name: .tcp_info)
            info.assumeIsolated().whenComplete { result in
                body(SendProgress(acknowledged: (try? result.get())?.15 ?? 0, waiting: waiting))
            }
            return
        }
        #endif
        body(SendProgress(waiting: waiting))
    }

    #if os(Linux)
    /// Linux's `struct tcp_info` (include/uapi/linux/tcp.h) up to `tcpi_bytes_acked` (Linux 4.1),
    /// the 16th 8-byte word (bytes 120..<128); Glibc's `tcp_info` ends at byte 104, before it. A
    /// homogeneous tuple is laid out like a C array; a kernel without the field leaves it 0
    /// (NIO zeroes the buffer), and Linux copies no more than the buffer's size.
    typealias LinuxTCPInfo = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                              UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)
    #endif
}
