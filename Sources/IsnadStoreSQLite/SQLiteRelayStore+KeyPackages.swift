import Foundation
import GRDB
import IsnadStore

extension SQLiteRelayStore {
    public func uploadKeyPackages(_ packages: [KeyPackageUpload], for device: DeviceID, now: Date) async throws -> KeyPackageCount {
        try await write { db in
            let id = device.uuid.bytes
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM devices WHERE id = ?", arguments: [id]) != nil else {
                throw StoreError(.unknownDevice, "The device does not exist.")
            }
            for package in packages {
                if package.isLastResort {
                    try db.execute(sql: "DELETE FROM key_packages WHERE device_id = ? AND (is_last_resort OR digest = ?)",
                                   arguments: [id, package.digest])
                }
                try db.execute(sql: """
                    INSERT INTO key_packages (device_id, digest, bytes, is_last_resort, uploaded_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (device_id, digest) DO NOTHING
                    """, arguments: [id, package.digest, package.bytes, package.isLastResort, StoredTime.milliseconds(now)])
            }
            return try Self.count(db, device: id)
        }
    }

    public func claimKeyPackages(ofIdentity identityKey: Data) async throws -> [ClaimedKeyPackage] {
        // One write transaction: SQLite has one writer at a time, so no two claims see the same row.
        try await write { db in
            let devices = try Data.fetchAll(db, sql: "SELECT id FROM devices WHERE identity_key = ? ORDER BY created_at, id",
                                            arguments: [identityKey])
            var claimed: [ClaimedKeyPackage] = []
            for device in devices {
                if let row = try Row.fetchOne(db, sql: """
                    DELETE FROM key_packages WHERE id = (
                        SELECT id FROM key_packages WHERE device_id = ? AND NOT is_last_resort ORDER BY id LIMIT 1
                    ) RETURNING bytes
                    """, arguments: [device]) {
                    claimed.append(.init(device: try DeviceID(stored: device), bytes: row["bytes"], isLastResort: false))
                } else if let bytes = try Data.fetchOne(db, sql: "SELECT bytes FROM key_packages WHERE device_id = ? AND is_last_resort",
                                                        arguments: [device]) {
                    claimed.append(.init(device: try DeviceID(stored: device), bytes: bytes, isLastResort: true))
                }
            }
            return claimed
        }
    }

    public func keyPackageCount(for device: DeviceID) async throws -> KeyPackageCount {
        try await read { db in try Self.count(db, device: device.uuid.bytes) }
    }

    static func count(_ db: Database, device: Data) throws -> KeyPackageCount {
        let row = try Row.fetchOne(db, sql: """
            SELECT COALESCE(SUM(NOT is_last_resort), 0) AS available, COALESCE(MAX(is_last_resort), 0) AS last_resort
            FROM key_packages WHERE device_id = ?
            """, arguments: [device])
        return KeyPackageCount(available: row?["available"] ?? 0, hasLastResort: row?["last_resort"] ?? false)
    }
}
