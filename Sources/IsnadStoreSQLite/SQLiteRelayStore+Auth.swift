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

    public func device(forTokenDigest digest: Data, now: Date) async throws -> DeviceID? {
        try await read { db in
            let owner = try Data.fetchOne(db, sql: "SELECT device_id FROM tokens WHERE digest = ? AND expires_at > ?",
                                          arguments: [digest, StoredTime.milliseconds(now)])
            return try owner.map(DeviceID.init(stored:))
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
