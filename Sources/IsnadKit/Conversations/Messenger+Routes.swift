import Foundation
import IsnadWire
import IsnadMLS

/// Fallback routes: each member tells the others, inside the group's MLS encryption, which
/// relays it is registered on and its device ID on each (a `routes` message). When the
/// conversation's relay cannot be reached, an application message goes to every recipient's
/// other relays instead: the same MLS ciphertext under the same message ID, with no sender
/// field, so a relay learns nothing it would not learn from any message, and the receiver
/// processes it exactly like one from the primary (a copy arriving by both routes is shown once).
///
/// ```
/// POST to the conversation's relay ─ unreachable (refused, timeout, 5xx) ─▶ for each recipient:
///     its announced relays that this device is also registered on ─▶ POST there
///     every recipient reached? ─yes─▶ delivered   ─no─▶ kept in the outbox, one sentence
/// ```
/// Commits never take this path: the conversation's relay sequences them.
extension Messenger {
    /// At most this many routes are kept per member (a member cannot make others post to many relays).
    static let maxRoutes = 8

    /// Announces this device's relays in a conversation when they differ from what it last
    /// announced there (only once it has more than one). A failed announcement stays queued.
    func announceRoutesIfChanged(_ conversationID: String) async throws {
        let accounts = try store.read { try $0.identity() }.relays
        guard accounts.count > 1,
              let conversation = try store.read({ try $0.one(ConversationRecord.self, table: .conversations, id: conversationID) }),
              conversation.announcedRelays != accounts.map(\.url) else { return }
        let routes = accounts.prefix(Self.maxRoutes).map { AppContent.Route(url: $0.url, deviceID: $0.deviceID) }
        do {
            try await sendContent(kind: .routes, routes: Array(routes), conversationID: conversationID)
        } catch let error as ClientError where error.code == .relayUnavailable {
            // Stored and queued: it goes out with the next send or sync, ahead of what follows it.
        }
    }

    /// The routes a member announced that are well-formed relay addresses, at most ``maxRoutes``.
    static func acceptedRoutes(_ routes: [AppContent.Route]) -> [AppContent.Route] {
        Array(routes.compactMap { route in (try? validatedRelay(route.url)).map { AppContent.Route(url: $0, deviceID: route.deviceID) } }
            .prefix(maxRoutes))
    }

    /// Posts an outbox message to each recipient's other relays (those this device is registered
    /// on too; no new account is made behind the member's back).
    /// - Returns: true when every recipient was reached by at least one of them.
    func postByFallbacks(_ outbox: OutboxRecord, messageID: UUID) async throws -> Bool {
        let (conversation, group, accounts) = try store.read { transaction in
            guard let conversation = try transaction.one(ConversationRecord.self, table: .conversations, id: outbox.conversationID) else {
                throw ClientError(.storeDamaged, "A conversation disappeared from the store.")
            }
            return (conversation, try loadGroup(outbox.conversationID, transaction), try transaction.identity().relays)
        }
        let mine = Set(accounts.map(\.url)).subtracting([outbox.relay])
        let wanted = Set(outbox.recipients)
        // relay URL → (recipient's device on the conversation's relay, its device on that relay)
        var byRelay: [String: [(recipient: UUID, device: UUID)]] = [:]
        for member in try members(of: group) where member.leaf != group.myLeaf && wanted.contains(member.credential.deviceID) {
            for route in conversation.memberRoutes?[Base64URL(member.credential.identityKey).text] ?? [] where mine.contains(route.url) {
                byRelay[route.url, default: []].append((member.credential.deviceID, route.deviceID))
            }
        }
        var unreached = wanted
        for (url, targets) in byRelay.sorted(by: { $0.key < $1.key }) {
            do {
                try await relay(url).post(messageID: messageID, recipients: targets.map(\.device), payload: outbox.payload)
                unreached.subtract(targets.map(\.recipient))
            } catch is ClientError {
                continue
            }
        }
        return unreached.isEmpty
    }
}
