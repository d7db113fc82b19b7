import NIOCore

/// Closes a connection whose peer has stopped taking what the relay sends it: the write timeout.
///
/// When a client stops reading (a download it never reads, a push connection whose device
/// stopped reading), its TCP window closes, the kernel's send buffer fills, then NIO's own
/// buffer passes its high watermark and NIO marks the channel unwritable. Hummingbird's response
/// writer and the WebSocket writer wait for writability, so the connection, its task and the
/// bytes already handed to NIO would be held for ever: the idle timeout runs only between
/// requests, and WebSocket pings are no help against a client that answers them but reads
/// nothing else.
///
/// The clock starts when the channel becomes unwritable and stops when it is writable again.
/// When `timeout` has passed, the connection is closed unless the client took some bytes
/// meanwhile: it is slow, not gone (one 1 MiB piece of an attachment, sent over a slow link, can
/// keep a channel unwritable for minutes). Then the clock starts again. So a client that takes
/// nothing for `timeout` is cut off, and one that keeps reading, however slowly, is not.
/// Measured from the moment the channel became unwritable, a client that stopped reading is
/// closed after one to two timeouts: bytes already on their way when it stopped (its TCP still
/// acknowledges them; NIO reports unwritability before it flushes) count as progress once.
/// "Took some bytes" is ``SendProgress``: on Linux the bytes the peer's TCP acknowledged,
/// elsewhere NIO's buffer shrinking.
///
/// Cheap on the hot path: an inbound handler, so writes and flushes pass it by. Work happens
/// only on writability changes, with at most one timer outstanding however often they come.
///
/// NIO's write-buffer watermarks are kept at their defaults (unwritable above 64 KiB waiting,
/// writable again below 32 KiB). What a stuck connection holds in NIO is the high mark plus the
/// write that crossed it (up to one 1 MiB attachment piece or one push page), until the timeout:
/// a higher mark would cost more memory per stuck client, a lower one would only make writers
/// suspend more often on healthy connections, and neither changes when the clock starts.
final class WriteTimeoutHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    let timeout: TimeAmount
    /// Since when the channel has been unwritable without the client taking a byte; `nil` while
    /// it is writable.
    private var stalledSince: NIODeadline?
    /// How far the client had got at `stalledSince`.
    private var progress = SendProgress()
    private var timer: Scheduled<Void>?

    /// Told when the timeout closes a connection (for the relay's metrics).
    let timedOut: @Sendable () -> Void

    init(timeout: TimeAmount, timedOut: @escaping @Sendable () -> Void = {}) {
        self.timeout = timeout
        self.timedOut = timedOut
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancel()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancel()
        context.fireChannelInactive()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            // The timer, if any, is left to find this when it fires: no cancel and re-arm for
            // every flip of a fast download.
            stalledSince = nil
        } else if stalledSince == nil {
            let now = NIODeadline.now()
            stalledSince = now
            SendProgress.measure(context) { self.progress = $0 }
            if timer == nil { schedule(context, at: now + timeout) }
        }
        context.fireChannelWritabilityChanged()
    }

    private func check(_ context: ChannelHandlerContext) {
        timer = nil
        guard let since = stalledSince, context.channel.isActive else { return }
        if NIODeadline.now() < since + timeout {
            // Writable for a while since the timer was set, and unwritable again later.
            schedule(context, at: since + timeout)
            return
        }
        SendProgress.measure(context) { [self] latest in
            // Writable again, or closed, while the kernel was asked.
            guard stalledSince != nil, context.channel.isActive else { return }
            if latest.isAhead(of: progress) {
                progress = latest
                let now = NIODeadline.now()
                stalledSince = now
                schedule(context, at: now + timeout)
            } else {
                timedOut()
                context.close(promise: nil)
            }
        }
    }

    private func schedule(_ context: ChannelHandlerContext, at deadline: NIODeadline) {
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            check(context)
        }
    }

    private func cancel() {
        timer?.cancel()
        timer = nil
        stalledSince = nil
    }
}
