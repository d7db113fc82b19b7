import Foundation
import Hummingbird
import IsnadStore

/// Handshake sequencing (RFC 9420 §14): a commit for epoch e is accepted only while the
/// relay's epoch for the group is e; the epoch then advances and the commit (and any Welcome)
/// is stored for its recipients in the same transaction. A stale commit gets a 409 problem
/// with `current_epoch`.
///
/// The client states `group_id` (path) and `epoch` beside the commit bytes, and the relay checks
/// them against the commit's MLS framing (``checkCommit(_:group:epoch:)``) before it stores
/// anything; it decrypts and verifies nothing.
struct GroupRoutes {
    struct Welcome: Decodable {
        var message: Base64URL
        var recipients: [String]
    }

    struct CommitRequest: Decodable {
        var messageID: String
        var epoch: UInt64
        var commit: Base64URL
        var recipients: [String]
        var welcome: Welcome?
        enum CodingKeys: String, CodingKey { case messageID = "message_id", epoch, commit, recipients, welcome }
    }

    struct Epoch: Encodable {
        var groupID: Base64URL
        var epoch: UInt64
        enum CodingKeys: String, CodingKey { case groupID = "group_id", epoch }
    }

    let dependencies: RelayDependencies

    func register(on group: RouterGroup<RelayRequestContext>) {
        group.post("groups/:group_id/commits", use: commit)
        group.get("groups/:group_id/epoch", use: epoch)
    }

    /// 200 with the new epoch; 200 again for a retry of the same commit; 409 with `current_epoch` if stale.
    @Sendable func commit(_ request: Request, context: RelayRequestContext) async throws -> Response {
        _ = try context.requireDevice()
        let configuration = dependencies.configuration
        let group = try groupID(context)
        let body = try await JSONBody.decode(CommitRequest.self, from: request, limit: configuration.maxRequestBodySize)
        let messageID = try WireParsing.messageID(body.messageID)
        guard body.epoch < UInt64(Int64.max) else {
            throw RelayError(.malformedRequest, "`epoch` must be below 2^63 - 1.")
        }
        let commit = try WireParsing.bytes(body.commit, field: "commit", max: configuration.maxMessageSize)
        var deliveries = [Submission.Delivery(
            recipients: try WireParsing.deviceIDs(body.recipients, field: "recipients", max: configuration.maxRecipients),
            payload: commit)]
        var welcomeMessage: Data?
        if let welcome = body.welcome {
            let recipients = try WireParsing.deviceIDs(welcome.recipients, field: "welcome.recipients", max: configuration.maxRecipients)
            guard !recipients.isEmpty else {
                throw RelayError(.malformedRequest, "`welcome.recipients` names no device.")
            }
            let message = try WireParsing.bytes(welcome.message, field: "welcome.message", max: configuration.maxMessageSize)
            deliveries.append(.init(recipients: recipients, payload: message))
            welcomeMessage = message
        }
        // After the JSON checks, before the store: bytes whose MLS framing disagrees store nothing.
        try Self.checkCommit(commit, group: group, epoch: body.epoch)
        if let welcomeMessage { try Self.checkWelcome(welcomeMessage) }
        let now = dependencies.now()
        let submission = Submission(id: messageID, deliveries: deliveries, expiresAt: now.addingTimeInterval(configuration.messageRetention),
                                    mailboxCapacity: configuration.maxQueuedMessages)
        switch try await dependencies.store.advanceEpoch(of: group, expected: body.epoch, delivering: submission, now: now) {
        case .advanced(let epoch, let isReplay, let stored):
            dependencies.logger.debug("commit accepted", metadata: ["group": dependencies.redaction.hash(group), "epoch": "\(epoch)", "replay": "\(isReplay)"])
            if let stored {
                dependencies.metrics.countCommit(accepted: true)
                // The commit and Welcome go to connected members as a message does (``MailboxPusher``).
                dependencies.signal.deliver(stored, of: submission)
            } else {
                // A retry stored nothing: its connections read the store, in case the first request never woke them.
                dependencies.signal.notify(deliveries.flatMap(\.recipients))
            }
            return try JSONBody.response(Epoch(groupID: Base64URL(group.bytes), epoch: epoch))
        case .conflict(let current):
            dependencies.metrics.countCommit(accepted: false)
            dependencies.logger.debug("commit conflicted", metadata: ["group": dependencies.redaction.hash(group), "epoch": "\(current)"])
            throw RelayError(.epochConflict, "The group is at epoch \(current), not \(body.epoch): process the commits you missed, then retry.", currentEpoch: current)
        }
    }

    @Sendable func epoch(_ request: Request, context: RelayRequestContext) async throws -> Response {
        _ = try context.requireDevice()
        let group = try groupID(context)
        return try JSONBody.response(Epoch(groupID: Base64URL(group.bytes), epoch: try await dependencies.store.epoch(of: group)))
    }

    func groupID(_ context: RelayRequestContext) throws -> GroupID {
        guard let text = context.parameters.get("group_id"), let bytes = Base64URL(text: text),
              !bytes.data.isEmpty, bytes.data.count <= dependencies.configuration.maxGroupIDSize
        else {
            throw RelayError(.malformedRequest, "The group ID in the path must be 1 to \(dependencies.configuration.maxGroupIDSize) bytes in unpadded base64url.")
        }
        return GroupID(bytes.data)
    }
}
