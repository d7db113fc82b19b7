import NIOCore

/// Closes a connection whose first request head (request line and headers) has not fully
/// arrived `timeout` after the connection was accepted: the header timeout. It watches the bytes
/// for the blank line that ends the first head (RFC 9112 §2.1), then only passes them on.
///
/// Hummingbird's idle timeout (`HTTP1Channel.Configuration.idleTimeout`) starts only once the
/// first head is parsed when the WebSocket upgrade is served, so without this a client that
/// connects and stays silent, or sends its head a byte at a time, would hold a connection for
/// ever. After the first head, that idle timeout covers later requests on the connection (its
/// clock restarts when an answer ends and only a complete head stops it), and a WebSocket is
/// kept by pings. Added by ``ConnectionTimeoutsChannel``.
final class RequestHeadTimeoutHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    let timeout: TimeAmount
    private var deadline: Scheduled<Void>?
    private var hasHead = false
    /// The last four bytes read, to find the blank line across reads.
    private var tail: UInt32 = 0

    /// Told when the timeout closes a connection (for the relay's metrics).
    let timedOut: @Sendable () -> Void

    init(timeout: TimeAmount, timedOut: @escaping @Sendable () -> Void = {}) {
        self.timedOut = timedOut
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { schedule(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        schedule(context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancel()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancel()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !hasHead {
            for byte in unwrapInboundIn(data).readableBytesView {
                tail = tail << 8 | UInt32(byte)
                // CR LF CR LF, or LF LF from a client that ends lines with a bare LF (RFC 9112 §2.2).
                if tail == 0x0D0A_0D0A || tail & 0xFFFF == 0x0A0A {
                    hasHead = true
                    cancel()
                    break
                }
            }
        }
        context.fireChannelRead(data)
    }

    private func schedule(_ context: ChannelHandlerContext) {
        guard deadline == nil, !hasHead else { return }
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [timedOut] in
            timedOut()
            context.close(promise: nil)
        }
    }

    private func cancel() {
        deadline?.cancel()
        deadline = nil
    }
}
