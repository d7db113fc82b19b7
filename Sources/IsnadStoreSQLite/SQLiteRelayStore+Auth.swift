import Foundation
import GRDB
import IsnadStore

extension SQLiteRelayStore {
    public func storeChallenge(digest: Data, for device: DeviceID, expiresAt: Date) async throws {
        try await insertCredential(table: "challenges", digest: digest, device: device, expiresAt: expiresAt)
    }

    public func consumeChallenge(digest: Data, for device: DeviceID, now: Date) async throws -> Bool {
        try await write { db in
            guard let row = try Row.fetchOne(db, sql: "DELETE FROM challenges WHERE digest = ? RETURNING device_id, expires_at", arguments: [digest])
            else { return false }
            let owner: Data = row["device_id"]
            let expiresAt: Int64 = row["expires_at"]
            return owner == device.uuid.bytes && expiresAt > StoredTime.milliseconds(now)
        }
    }

    public func storeToken(digest: Data, for device: DeviceID, expiresAt: Date) async throws {
        try await insertCredential(table: "tokens", digest: digest, device: device, expiresAt: expiresAt)
    }

    /// Every authenticated request asks this, so known tokens are answered from ``TokenCache``
    /// (tokens are only ever removed with their device, which empties the cache of it, or by
    /// expiry, which the cache checks itself).
    public func device(forTokenDigest digest: Data, now: Date) async throws -> DeviceID? {
        let millis = StoredTime.milliseconds(now)
        return try await tokens.device(for: digest, now: millis) {
            try await read { db -> (DeviceID, Int64)? in
                guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT device_id, expires_at FROM tokens WHERE digest = ? AND expires_at > ?"),
                                                 arguments: [digest, millis])
                else { return nil }
                return (try DeviceID(stored: row["device_id"]), row["expires_at"])
            }
        }
    }

    private func insertCredential(table: String, digest: Data, device: DeviceID, expiresAt: Date) async throws {
        try await write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM devices WHERE id = ?", arguments: [device.uuid.bytes]) != nil else {
                throw StoreError(.unknownDevice, "The device does not exist.")
            }
            try db.execute(sql: "INSERT OR REPLACE INTO \(table) (digest, device_id, expires_at) VALUES (?, ?, ?)",
                           arguments: [digest, device.uuid.bytes, StoredTime.milliseconds(expiresAt)])
        }
    }
}
