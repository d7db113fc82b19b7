import Foundation
import Hummingbird
import HummingbirdWebSocket
import IsnadStore

/// `GET /v1/messages/ws?after=CURSOR` (WebSocket, bearer token on the upgrade request):
/// pushes the device's mailbox.
///
/// ```
/// server → client  text: {"messages":[…],"next_cursor":N}   (same shape as GET /v1/messages)
/// client → server  text: {"cursors":[…]}                      (optional ack, same as POST /v1/messages/ack)
/// ```
/// On connect the server sends everything after `after`, then a page after each commit for
/// the device. Unrecognised client frames are ignored.
struct PushRoutes {
    let dependencies: RelayDependencies

    func register(on group: RouterGroup<RelayRequestContext>) {
        group.ws("messages/ws", shouldUpgrade: { request, context in
            _ = try context.requireDevice()
            _ = try Self.after(request)
            return .upgrade([:])
        }, onUpgrade: { inbound, outbound, context in
            let device = try context.requestContext.requireDevice()
            try await push(to: device, after: try Self.after(context.request), inbound: inbound, outbound: outbound)
        })
    }

    static func after(_ request: Request) throws -> Int64 {
        try MessageRoutes.integer(request.uri.queryParameters["after"].map(String.init), name: "after", default: 0, range: 0...Int64.max)
    }

    func push(to device: DeviceID, after: Int64, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        // The connection's own task reads the client's frames; pushing runs in a short task that
        // exists only while there is something to send (``MailboxPusher``), so an idle connection
        // holds one task and no stream. Subscribe before the first drain, so a commit between the
        // two still wakes it.
        let logger = dependencies.logger
        let pusher = MailboxPusher(cursor: after, drain: { [self] cursor in
            try await drain(device, after: cursor, outbound: outbound)
        }, failed: { error in
            logger.debug("push failed; closing", metadata: ["error": "\(type(of: error))"])
            try? await outbound.close(.unexpectedServerError, reason: nil)
        })
        let subscription = dependencies.signal.subscribe(device, wake: pusher.wake)
        let connections = dependencies.metrics.webSocketConnections
        connections.increment()
        dependencies.logger.debug("push connected", metadata: ["device": dependencies.redaction.hash(device)])
        defer {
            dependencies.signal.unsubscribe(device, id: subscription)
            pusher.close()
            connections.decrement()
            dependencies.logger.debug("push closed", metadata: ["device": dependencies.redaction.hash(device)])
        }
        pusher.wake()
        for try await message in inbound.messages(maxSize: 64 * 1024) {
            guard case .text(let text) = message,
                  let ack = try? JSONDecoder().decode(MessageRoutes.Ack.self, from: Data(text.utf8)),
                  ack.cursors.count <= dependencies.configuration.maxFetchLimit * 2
            else { continue }
            _ = try await dependencies.store.acknowledge(ack.cursors, for: device)
        }
    }

    /// Sends every message after `cursor`, a page per WebSocket message; returns the last cursor sent.
    func drain(_ device: DeviceID, after cursor: Int64, outbound: WebSocketOutboundWriter) async throws -> Int64 {
        var cursor = cursor
        while true {
            let messages = try await dependencies.store.messages(
                for: device, after: cursor, limit: dependencies.configuration.maxFetchLimit, now: dependencies.now())
            guard let last = messages.last else { return cursor }
            let page = MessageRoutes.Page(messages: messages.map(MessageRoutes.Message.init), nextCursor: last.cursor)
            try await outbound.writeTextMessage(String(decoding: try JSONBody.encoder.encode(page), as: UTF8.self))
            cursor = last.cursor
        }
    }
}
