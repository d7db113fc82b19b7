import NIOCore
import NIOWebSocket

/// Closes a WebSocket whose peer has gone silent: after `interval` without a byte from the
/// client it sends a ping; after another `interval` still without a byte (no pong, no frame)
/// it sends a close frame (1001, "ping timeout") and closes the connection.
///
/// This replaces Hummingbird's auto-ping, which runs a Swift task per connection for the whole
/// life of the connection (about 3 KiB of an idle WebSocket's 32 KiB budget, issue 4). Here a
/// connection costs one timer on its event loop. Any bytes count as life, so a client that
/// talks is never pinged, and one that answers pings is never closed.
final class WebSocketLiveness: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private let interval: TimeAmount
    private var heard = false
    private var pinged = false
    private var timer: Scheduled<Void>?

    init(interval: TimeAmount) {
        self.interval = interval
    }

    /// Adds the check in front of a connection's pipeline (it sees every byte the client sends).
    static func add(to channel: any Channel, interval: TimeAmount) async throws {
        try await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.addHandler(WebSocketLiveness(interval: interval), position: .first)
        }.get()
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { schedule(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        heard = true
        context.fireChannelRead(data)
    }

    private func schedule(_ context: ChannelHandlerContext) {
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: interval) { [self] in
            tick(context)
        }
    }

    private func tick(_ context: ChannelHandlerContext) {
        if heard {
            heard = false
            pinged = false
        } else if pinged {
            // Written from the end of the pipeline, so the WebSocket encoder (and TLS) frame it.
            var reason = context.channel.allocator.buffer(capacity: 14)
            reason.write(webSocketErrorCode: .goingAway)
            reason.writeString("ping timeout")
            context.channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .connectionClose, data: reason), promise: nil)
            context.channel.close(promise: nil)
            return
        } else {
            pinged = true
            context.channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .ping, data: ByteBuffer()), promise: nil)
        }
        schedule(context)
    }
}
