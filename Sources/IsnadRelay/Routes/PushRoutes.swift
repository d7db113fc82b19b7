import Foundation
import Hummingbird
import HummingbirdWebSocket
import IsnadStore
import NIOCore

/// `GET /v1/messages/ws?after=CURSOR` (WebSocket, bearer token on the upgrade request):
/// pushes the device's mailbox.
///
/// ```
/// server → client  text: {"messages":[…],"next_cursor":N}   (same shape as GET /v1/messages)
/// client → server  text: {"cursors":[…]}                      (optional ack, same as POST /v1/messages/ack)
/// ```
/// On connect the server sends everything after `after`, then a page after each commit for
/// the device. Unrecognised client frames are ignored. When the device is removed from its
/// account, its connections get a close frame with ``deviceRemoved`` (4401).
struct PushRoutes {
    let dependencies: RelayDependencies

    /// The close code for a connection whose device was removed (RFC 6455 §7.4.2: 4000–4999 are
    /// the application's; 4401 as in HTTP 401, the token is gone).
    static let deviceRemoved: UInt16 = 4401
    /// How long a client has to answer that close frame before the connection is cut.
    static let closeGrace = TimeAmount.seconds(5)

    func register(on group: RouterGroup<RelayRequestContext>) {
        group.ws("messages/ws", shouldUpgrade: { request, context in
            _ = try context.requireDevice()
            _ = try Self.after(request)
            return .upgrade([:])
        }, onUpgrade: { inbound, outbound, context in
            defer { context.requestContext.releaseWebSocketHandler() }
            let device = try context.requestContext.requireDevice()
            // Open as long as this handler runs (NIO holds it); the context only refers to it weakly.
            guard let channel = context.requestContext.channel else { return }
            let interval = TimeAmount.milliseconds(Int64(dependencies.configuration.webSocketPingInterval * 1000))
            try await WebSocketLiveness.add(to: channel, interval: interval)
            try await push(to: device, after: try Self.after(context.request), inbound: inbound, outbound: outbound, channel: channel)
        })
    }

    static func after(_ request: Request) throws -> Int64 {
        try MessageRoutes.integer(request.uri.queryParameters["after"].map(String.init), name: "after", default: 0, range: 0...Int64.max)
    }

    func push(to device: DeviceID, after: Int64, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, channel: any Channel) async throws {
        // The connection's own task reads the client's frames; pushing runs in a short task that
        // exists only while there is something to send (``MailboxPusher``), so an idle connection
        // holds one task and no stream. Subscribe before the first drain, so a commit between the
        // two still wakes it.
        let logger = dependencies.logger
        let pusher = MailboxPusher(cursor: after, maxHanded: dependencies.configuration.maxFetchLimit, drain: { [self] work in
            try await drain(device, work, outbound: outbound)
        }, ended: { ending in
            switch ending {
            case .failed(let error):
                logger.debug("push failed; closing", metadata: ["error": "\(type(of: error))"])
                try? await outbound.close(.unexpectedServerError, reason: nil)
            case .deviceRemoved:
                try? await outbound.close(.unknown(Self.deviceRemoved), reason: "device removed")
                // The handler ends when the client answers the close frame; one that does not is cut off.
                channel.eventLoop.scheduleTask(in: Self.closeGrace) { channel.close(promise: nil) }
            }
        })
        let subscription = dependencies.signal.subscribe(device, pusher)
        let connections = dependencies.metrics.webSocketConnections
        connections.increment()
        dependencies.logger.debug("push connected", metadata: ["device": dependencies.redaction.hash(device)])
        defer {
            dependencies.signal.unsubscribe(device, id: subscription)
            pusher.close()
            connections.decrement()
            dependencies.logger.debug("push closed", metadata: ["device": dependencies.redaction.hash(device)])
        }
        // A removal committed between the upgrade's token check and the subscription found nothing to close.
        if try await dependencies.store.device(device) == nil { pusher.evict() }
        pusher.wake()
        for try await message in inbound.messages(maxSize: 64 * 1024) {
            guard case .text(let text) = message,
                  let ack = try? JSONDecoder().decode(MessageRoutes.Ack.self, from: Data(text.utf8)),
                  ack.cursors.count <= dependencies.configuration.maxFetchLimit * 2
            else { continue }
            _ = try await dependencies.store.acknowledge(ack.cursors, for: device)
        }
    }

    /// Sends the messages handed over with the wake-ups as one page when they need no read of
    /// the store (``MailboxPusher/Work/handedPage(now:)``); otherwise reads the store after the
    /// cursor (``drain(_:after:outbound:)``). Returns the last cursor sent.
    func drain(_ device: DeviceID, _ work: MailboxPusher.Work, outbound: WebSocketOutboundWriter) async throws -> Int64 {
        guard let handed = work.handedPage(now: dependencies.now()) else {
            return try await drain(device, after: work.cursor, outbound: outbound)
        }
        guard let last = handed.last else { return work.cursor }
        let page = MessageRoutes.Page(messages: handed.map(MessageRoutes.Message.init), nextCursor: last.cursor)
        try await Self.writeText(page.json, frameSize: dependencies.configuration.maxWebSocketFrameSize, to: outbound)
        return last.cursor
    }

    /// Sends every message after `cursor` read from the store, a page per WebSocket message;
    /// returns the last cursor sent.
    ///
    /// A page shorter than the limit ends the drain without reading again: a message committed
    /// after that read wakes the pusher, which then drains once more (``MailboxPusher``).
    func drain(_ device: DeviceID, after cursor: Int64, outbound: WebSocketOutboundWriter) async throws -> Int64 {
        let limit = dependencies.configuration.maxFetchLimit
        var cursor = cursor
        while true {
            let messages = try await dependencies.store.messages(for: device, after: cursor, limit: limit, now: dependencies.now())
            guard let last = messages.last else { return cursor }
            let page = MessageRoutes.Page(messages: messages.map(MessageRoutes.Message.init), nextCursor: last.cursor)
            try await Self.writeText(page.json, frameSize: dependencies.configuration.maxWebSocketFrameSize, to: outbound)
            cursor = last.cursor
            if messages.count < limit { return cursor }
        }
    }

    /// Writes `text` (UTF-8) as one text message, in frames of at most `frameSize` bytes, as
    /// `writeTextMessage` splits a string, without making a string of it first.
    /// (The message writer holds each frame back until the next, so the last goes out marked final.)
    static func writeText(_ text: ByteBuffer, frameSize: Int, to outbound: WebSocketOutboundWriter) async throws {
        var rest = text
        try await outbound.withTextMessageWriter { writer in
            repeat {
                try await writer(rest.readSlice(length: min(max(1, frameSize), rest.readableBytes)) ?? ByteBuffer())
            } while rest.readableBytes > 0
        }
    }
}
