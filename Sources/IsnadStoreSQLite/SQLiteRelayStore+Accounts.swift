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
            try db.execute(sql: """
                INSERT INTO devices (id, identity_key, public_key, binding, created_at) VALUES (?, ?, ?, ?, ?)
                """, arguments: [device.id.uuid.bytes, device.identityKey, device.publicKey, device.binding,
                                 StoredTime.milliseconds(device.createdAt)])
            var stored = device
            stored.createdAt = StoredTime.truncated(device.createdAt)
            return stored
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
