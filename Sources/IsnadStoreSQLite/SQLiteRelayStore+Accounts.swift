import Foundation
import GRDB
import IsnadStore

extension SQLiteRelayStore {
    public func registerAccount(_ device: Device) async throws -> Device {
        try await write { db in
            let existing = try Row.fetchAll(db, sql: """
                SELECT * FROM devices WHERE identity_key = ? OR public_key = ?
                """, arguments: [device.identityKey, device.publicKey]).map(Device.init(row:))
            if let same = existing.first(where: { $0.identityKey == device.identityKey && $0.publicKey == device.publicKey }) {
                return same
            }
            guard existing.isEmpty else {
                throw StoreError(.conflict, "The identity key or the device key is already registered.")
            }
            return try Self.insert(db, device)
        }
    }

    public func device(_ id: DeviceID) async throws -> Device? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM devices WHERE id = ?", arguments: [id.uuid.bytes]).map(Device.init(row:))
        }
    }

    public func devices(ofIdentity identityKey: Data) async throws -> [Device] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM devices WHERE identity_key = ? ORDER BY created_at, id", arguments: [identityKey])
                .map(Device.init(row:))
        }
    }
}

extension SQLiteRelayStore {
    public func addDevice(_ device: Device) async throws -> Device {
        try await write { db in
            if let same = try Row.fetchOne(db, sql: "SELECT * FROM devices WHERE public_key = ?", arguments: [device.publicKey]).map(Device.init(row:)) {
                guard same.identityKey == device.identityKey else {
                    throw StoreError(.conflict, "The device key is already registered.")
                }
                return same
            }
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM devices WHERE identity_key = ?", arguments: [device.identityKey]) != nil else {
                throw StoreError(.unknownIdentity, "No account has this identity key.")
            }
            return try Self.insert(db, device)
        }
    }

    public func removeDevice(_ id: DeviceID) async throws -> Bool {
        // The cache is emptied of the device's tokens even if the removal fails: it refills from the database.
        defer { tokens.forget([id]) }
        return try await write { db in
            guard let identityKey = try Data.fetchOne(db, sql: "SELECT identity_key FROM devices WHERE id = ?", arguments: [id.uuid.bytes]) else {
                return false
            }
            guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM devices WHERE identity_key = ?", arguments: [identityKey]) ?? 0 > 1 else {
                throw StoreError(.conflict, "An account keeps at least one device.")
            }
            // Foreign keys cascade to messages, credentials, KeyPackages and unfinished uploads.
            try db.execute(sql: "DELETE FROM devices WHERE id = ?", arguments: [id.uuid.bytes])
            return true
        }
    }

    /// Inserts a device row; returns the device as stored (time truncated to milliseconds).
    static func insert(_ db: Database, _ device: Device) throws -> Device {
        try db.execute(sql: """
            INSERT INTO devices (id, identity_key, public_key, binding, created_at) VALUES (?, ?, ?, ?, ?)
            """, arguments: [device.id.uuid.bytes, device.identityKey, device.publicKey, device.binding,
                             StoredTime.milliseconds(device.createdAt)])
        var stored = device
        stored.createdAt = StoredTime.truncated(device.createdAt)
        return stored
    }
}
