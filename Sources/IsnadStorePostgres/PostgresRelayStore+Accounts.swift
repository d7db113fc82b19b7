import Foundation
import IsnadStore
import PostgresNIO

extension PostgresRelayStore {
    public func registerAccount(_ device: Device) async throws -> Device {
        do {
            return try await transaction { connection, logger in
                // Serialise registrations of one identity across processes, so that two
                // concurrent first registrations cannot both add a device.
                let lockKey = device.identityKey.prefix(8).reduce(Int64(0)) { $0 << 8 | Int64($1) }
                try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
                let existing = try await connection.rows("""
                    SELECT \(unescaped: Device.columns) FROM devices WHERE identity_key = \(device.identityKey) OR public_key = \(device.publicKey)
                    """, logger: logger).map(Device.init(row:))
                if let same = existing.first(where: { $0.identityKey == device.identityKey && $0.publicKey == device.publicKey }) {
                    return same
                }
                guard existing.isEmpty else {
                    throw StoreError(.conflict, "The identity key or the device key is already registered.")
                }
                try await connection.query("""
                    INSERT INTO devices (id, identity_key, public_key, binding, created_at)
                    VALUES (\(device.id.uuid), \(device.identityKey), \(device.publicKey), \(device.binding), \(StoredTime.milliseconds(device.createdAt)))
                    """, logger: logger)
                var stored = device
                stored.createdAt = StoredTime.truncated(device.createdAt)
                return stored
            }
        } catch let error as StoreError where error.code == .conflict {
            throw StoreError(.conflict, "The identity key or the device key is already registered.", underlying: error.underlying)
        }
    }

    public func device(_ id: DeviceID) async throws -> Device? {
        try await rows("SELECT \(unescaped: Device.columns) FROM devices WHERE id = \(id.uuid)").first.map(Device.init(row:))
    }

    public func devices(ofIdentity identityKey: Data) async throws -> [Device] {
        try await rows("SELECT \(unescaped: Device.columns) FROM devices WHERE identity_key = \(identityKey) ORDER BY created_at, id")
            .map(Device.init(row:))
    }
}
