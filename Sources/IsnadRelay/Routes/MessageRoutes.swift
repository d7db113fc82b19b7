import Foundation
import Hummingbird
import IsnadStore
import IsnadWire
import NIOCore

/// Mailboxes: send opaque bytes to devices, fetch after a cursor, acknowledge. All need a bearer token.
///
/// The stored message has no sender field: the sender is authenticated inside MLS, not by the relay.
struct MessageRoutes {
    struct Send: Decodable {
        var messageID: String
        var recipients: [String]
        var payload: Base64URL
        enum CodingKeys: String, CodingKey { case messageID = "message_id", recipients, payload }

        /// The body's fields checked: what ``send(_:context:)`` stores.
        struct Checked: Equatable {
            var messageID: MessageID
            var recipients: [DeviceID]
            var payload: Data
        }

        /// Reads and checks the body: the quick way (``flat(_:maxRecipients:maxPayload:)``) when it
        /// is in the plain form and valid, with `JSONDecoder` and ``WireParsing`` otherwise, which
        /// word every error.
        static func read(_ buffer: ByteBuffer, maxRecipients: Int, maxPayload: Int) throws -> Checked {
            try flat(buffer, maxRecipients: maxRecipients, maxPayload: maxPayload) ?? slow(buffer, maxRecipients: maxRecipients, maxPayload: maxPayload)
        }

        /// Any body, through `JSONDecoder`, then each field checked by ``WireParsing``, in the
        /// order the errors are reported: the message ID, the recipients, the payload.
        static func slow(_ buffer: ByteBuffer, maxRecipients: Int, maxPayload: Int) throws -> Checked {
            let body = try JSONBody.decode(Send.self, from: buffer)
            let messageID = try WireParsing.messageID(body.messageID)
            let recipients = try WireParsing.deviceIDs(body.recipients, field: "recipients", max: maxRecipients)
            guard !recipients.isEmpty else {
                throw RelayError(.malformedRequest, "`recipients` names no device.")
            }
            return Checked(messageID: messageID, recipients: recipients, payload: try WireParsing.bytes(body.payload, field: "payload", max: maxPayload))
        }

        /// The body in the plain form clients send (``FlatJSON``: exactly these three fields, no
        /// escapes), read in place without making strings of it; `nil` for any other body, or
        /// one that breaks a rule (a field that is not a UUID, too many or no recipients, an
        /// empty or oversized payload), which ``read(_:maxRecipients:maxPayload:)`` then reads
        /// the slow way to word the error.
        static func flat(_ buffer: ByteBuffer, maxRecipients: Int, maxPayload: Int) -> Checked? {
            var messageID: MessageID?, recipients: [DeviceID]?, payload: Data?
            let read = buffer.readableBytesView.withUnsafeBytes { bytes in
                FlatJSON.fields(bytes) { key, value in
                    switch (Key(key), value) {
                    case (.messageID, .string(let text)) where messageID == nil:
                        messageID = UUID(canonical: text).map(MessageID.init)
                        return messageID != nil
                    case (.recipients, .strings(let texts)) where recipients == nil && !texts.isEmpty && texts.count <= maxRecipients:
                        var devices: [DeviceID] = []
                        devices.reserveCapacity(texts.count)
                        for text in texts {
                            guard let uuid = UUID(canonical: text) else { return false }
                            devices.append(DeviceID(uuid))
                        }
                        recipients = devices
                        return true
                    case (.payload, .string(let text)) where payload == nil:
                        payload = Base64URL(ascii: text).map(\.data)
                        return payload.map { !$0.isEmpty && $0.count <= maxPayload } ?? false
                    default:
                        return false
                    }
                }
            }
            guard read, let messageID, let recipients, let payload else { return nil }
            return Checked(messageID: messageID, recipients: recipients, payload: payload)
        }

        /// The three keys, compared as bytes.
        enum Key {
            case messageID, recipients, payload

            init?(_ bytes: UnsafeRawBufferPointer) {
                if bytes.elementsEqual(CodingKeys.messageID.rawValue.utf8) {
                    self = .messageID
                } else if bytes.elementsEqual(CodingKeys.recipients.rawValue.utf8) {
                    self = .recipients
                } else if bytes.elementsEqual(CodingKeys.payload.rawValue.utf8) {
                    self = .payload
                } else {
                    return nil
                }
            }
        }
    }

    struct Accepted: Encodable {
        var messageID: String
        var acceptedAt: Date
        var recipients: Int
        enum CodingKeys: String, CodingKey { case messageID = "message_id", acceptedAt = "accepted_at", recipients }

        init(_ receipt: SubmissionReceipt) {
            messageID = receipt.messageID.description
            acceptedAt = receipt.acceptedAt
            recipients = receipt.recipientCount
        }

        /// The bytes ``JSONBody``'s encoder writes for this answer (sorted keys, RFC 3339 time),
        /// written directly: the message ID is a lower-case UUID, nothing in it needs escaping.
        var json: ByteBuffer {
            ByteBuffer(string: #"{"accepted_at":""# + RelayJSON.timestamp(acceptedAt) + #"","message_id":""# + messageID
                       + #"","recipients":"# + String(recipients) + "}")
        }
    }

    struct Message: Encodable {
        var cursor: Int64
        var messageID: String
        var payload: Base64URL
        var receivedAt: Date
        var expiresAt: Date
        enum CodingKeys: String, CodingKey {
            case cursor, messageID = "message_id", payload, receivedAt = "received_at", expiresAt = "expires_at"
        }

        init(_ message: MailboxMessage) {
            cursor = message.cursor
            messageID = message.messageID.description
            payload = Base64URL(message.payload)
            receivedAt = message.receivedAt
            expiresAt = message.expiresAt
        }
    }

    struct Page: Encodable {
        var messages: [Message]
        /// The cursor to pass as `after` next time.
        var nextCursor: Int64
        enum CodingKeys: String, CodingKey { case messages, nextCursor = "next_cursor" }

        /// The bytes ``JSONBody``'s encoder writes for this page (sorted keys, RFC 3339 times),
        /// written directly: every push and fetch sends one, and `JSONEncoder` was a large part of
        /// a push's cost. Nothing in a page needs escaping: message IDs are lower-case UUIDs and
        /// payloads base64url.
        var json: ByteBuffer {
            var buffer = ByteBuffer()
            buffer.reserveCapacity(32 + messages.reduce(0) { $0 + 150 + $1.payload.data.count * 4 / 3 })
            buffer.writeString(#"{"messages":["#)
            for (index, message) in messages.enumerated() {
                if index > 0 { buffer.writeString(",") }
                buffer.writeString(#"{"cursor":"#)
                buffer.writeString(String(message.cursor))
                buffer.writeString(#","expires_at":""#)
                buffer.writeString(RelayJSON.timestamp(message.expiresAt))
                buffer.writeString(#"","message_id":""#)
                buffer.writeString(message.messageID)
                buffer.writeString(#"","payload":""#)
                buffer.writeString(message.payload.text)
                buffer.writeString(#"","received_at":""#)
                buffer.writeString(RelayJSON.timestamp(message.receivedAt))
                buffer.writeString(#""}"#)
            }
            buffer.writeString(#"],"next_cursor":"#)
            buffer.writeString(String(nextCursor))
            buffer.writeString("}")
            return buffer
        }
    }

    struct Ack: Decodable {
        var cursors: [Int64]
    }

    struct Acked: Encodable {
        var deleted: Int
    }

    let dependencies: RelayDependencies

    func register(on group: RouterGroup<RelayRequestContext>) {
        group.post("messages", use: send)
        group.get("messages", use: fetch)
        group.post("messages/ack", use: acknowledge)
    }

    /// 201 once every copy is durably stored; 200 with the original answer for a retry.
    @Sendable func send(_ request: Request, context: RelayRequestContext) async throws -> Response {
        _ = try context.requireDevice()
        let configuration = dependencies.configuration
        let body = try Send.read(try await JSONBody.read(request, limit: configuration.maxRequestBodySize),
                                 maxRecipients: configuration.maxRecipients, maxPayload: configuration.maxMessageSize)
        let (messageID, recipients, payload) = (body.messageID, body.recipients, body.payload)
        let now = dependencies.now()
        let submission = Submission(id: messageID, deliveries: [.init(recipients: recipients, payload: payload)],
                                    expiresAt: now.addingTimeInterval(configuration.messageRetention),
                                    mailboxCapacity: configuration.maxQueuedMessages)
        let receipt = try await dependencies.store.enqueue(submission, now: now)
        if receipt.isReplay {
            // A retry stored nothing: its connections read the store, in case the first request never woke them.
            dependencies.signal.notify(recipients)
        } else {
            dependencies.signal.deliver(receipt, of: submission)
            dependencies.metrics.countMessageAccepted()
        }
        dependencies.logger.debug("message stored", metadata: [
            "message": dependencies.redaction.hash(messageID), "recipients": "\(receipt.recipientCount)", "replay": "\(receipt.isReplay)",
        ])
        return JSONBody.response(Accepted(receipt).json, status: receipt.isReplay ? .ok : .created)
    }

    /// `GET /v1/messages?after=CURSOR&limit=N`: the next messages of the authenticated device.
    @Sendable func fetch(_ request: Request, context: RelayRequestContext) async throws -> Response {
        let device = try context.requireDevice()
        let maxLimit = dependencies.configuration.maxFetchLimit
        let after = try Self.integer(request.uri.queryParameters["after"].map(String.init), name: "after", default: 0, range: 0...Int64.max)
        let limit = try Self.integer(request.uri.queryParameters["limit"].map(String.init), name: "limit", default: Int64(maxLimit), range: 1...Int64(maxLimit))
        let messages = try await dependencies.store.messages(for: device, after: after, limit: Int(limit), now: dependencies.now())
        let page = Page(messages: messages.map(Message.init), nextCursor: messages.last?.cursor ?? after)
        return JSONBody.response(page.json)
    }

    @Sendable func acknowledge(_ request: Request, context: RelayRequestContext) async throws -> Response {
        let device = try context.requireDevice()
        let body = try await JSONBody.decode(Ack.self, from: request, limit: 64 * 1024)
        guard body.cursors.count <= dependencies.configuration.maxFetchLimit * 2 else {
            throw RelayError(.malformedRequest, "`cursors` holds more than \(dependencies.configuration.maxFetchLimit * 2) cursors.")
        }
        return try JSONBody.response(Acked(deleted: try await dependencies.store.acknowledge(body.cursors, for: device)))
    }

    static func integer(_ text: String?, name: String, default value: Int64, range: ClosedRange<Int64>) throws -> Int64 {
        guard let text else { return value }
        guard let number = Int64(text), range.contains(number) else {
            throw RelayError(.malformedRequest, "The query parameter `\(name)` must be an integer in \(range.lowerBound)...\(range.upperBound).")
        }
        return number
    }
}
