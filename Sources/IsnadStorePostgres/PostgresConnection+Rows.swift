import Foundation
import IsnadStore
import Logging
import PostgresNIO

extension PostgresConnection {
    /// Runs a query inside the caller's transaction and collects its rows.
    func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        try await self.query(query, logger: logger).collect()
    }
}

extension Device {
    /// The columns ``init(row:)`` reads, in order.
    static let columns = "id, identity_key, public_key, binding, created_at"

    /// Reads a row selected with ``columns``.
    init(row: PostgresRow) throws {
        let (id, identityKey, publicKey, binding, createdAt) = try row.decode((UUID, Data, Data, Data, Int64).self)
        self.init(id: DeviceID(id), identityKey: identityKey, publicKey: publicKey, binding: binding,
                  createdAt: StoredTime.date(createdAt))
    }
}

extension MailboxMessage {
    /// The columns ``init(row:)`` reads, in order.
    static let columns = "cursor, message_id, payload, received_at, expires_at"

    /// Reads a row selected with ``columns``.
    init(row: PostgresRow) throws {
        let (cursor, messageID, payload, receivedAt, expiresAt) = try row.decode((Int64, UUID, Data, Int64, Int64).self)
        self.init(cursor: cursor, messageID: MessageID(messageID), payload: payload,
                  receivedAt: StoredTime.date(receivedAt), expiresAt: StoredTime.date(expiresAt))
    }
}
