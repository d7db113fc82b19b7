import Foundation
import IsnadStore
import PostgresNIO

extension PostgresRelayStore {
    public func storeChallenge(digest: Data, for device: DeviceID, expiresAt: Date) async throws {
        try await transaction { connection, logger in
            let inserted = try await connection.rows("""
                INSERT INTO challenges (digest, device_id, expires_at)
                SELECT \(digest), id, \(StoredTime.milliseconds(expiresAt)) FROM devices WHERE id = \(device.uuid)
                ON CONFLICT (digest) DO UPDATE SET device_id = excluded.device_id, expires_at = excluded.expires_at
                RETURNING 1
                """, logger: logger)
            guard !inserted.isEmpty else { throw StoreError(.unknownDevice, "The device does not exist.") }
        }
    }

    public func consumeChallenge(digest: Data, for device: DeviceID, now: Date) async throws -> Bool {
        let rows = try await rows("DELETE FROM challenges WHERE digest = \(digest) RETURNING device_id, expires_at")
        guard let row = rows.first else { return false }
        let (owner, expiresAt) = try row.decode((UUID, Int64).self)
        return owner == device.uuid && expiresAt > StoredTime.milliseconds(now)
    }

    public func storeToken(digest: Data, for device: DeviceID, expiresAt: Date) async throws {
        try await transaction { connection, logger in
            let inserted = try await connection.rows("""
                INSERT INTO tokens (digest, device_id, expires_at)
                SELECT \(digest), id, \(StoredTime.milliseconds(expiresAt)) FROM devices WHERE id = \(device.uuid)
                ON CONFLICT (digest) DO UPDATE SET device_id = excluded.device_id, expires_at = excluded.expires_at
                RETURNING 1
                """, logger: logger)
            guard !inserted.isEmpty else { throw StoreError(.unknownDevice, "The device does not exist.") }
        }
    }

    /// Every authenticated request asks this. While this relay listens for other relays'
    /// device removals (``watchMailboxes(_:)``), known tokens are answered from ``TokenCache``
    /// (a removal made through another relay reaches it with the removal's NOTIFY, a few
    /// milliseconds after that relay answered); otherwise every lookup reads the database.
    public func device(forTokenDigest digest: Data, now: Date) async throws -> DeviceID? {
        let millis = StoredTime.milliseconds(now)
        return try await tokens.device(for: digest, now: millis) {
            guard let row = try await rows("SELECT device_id, expires_at FROM tokens WHERE digest = \(digest) AND expires_at > \(millis)").first
            else { return nil }
            let (id, expiresAt) = try row.decode((UUID, Int64).self)
            return (DeviceID(id), expiresAt)
        }
    }
}
