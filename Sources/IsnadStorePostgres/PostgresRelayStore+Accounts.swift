import Foundation
import IsnadStore
import Logging
import PostgresNIO

extension PostgresRelayStore {
    public func registerAccount(_ device: Device) async throws -> Device {
        do {
            return try await transaction { connection, logger in
                // Serialise registrations of one identity across processes, so that two
                // concurrent first registrations cannot both add a device.
                try await Self.lockIdentity(device.identityKey, connection, logger)
                let existing = try await connection.rows("""
                    SELECT \(unescaped: Device.columns) FROM devices WHERE identity_key = \(device.identityKey) OR public_key = \(device.publicKey)
                    """, logger: logger).map(Device.init(row:))
                if let same = existing.first(where: { $0.identityKey == device.identityKey && $0.publicKey == device.publicKey }) {
                    return same
                }
                guard existing.isEmpty else {
                    throw StoreError(.conflict, "The identity key or the device key is already registered.")
                }
                return try await Self.insert(device, connection, logger)
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

extension PostgresRelayStore {
    public func addDevice(_ device: Device) async throws -> Device {
        do {
            return try await transaction { connection, logger in
                try await Self.lockIdentity(device.identityKey, connection, logger)
                if let same = try await connection.rows("""
                    SELECT \(unescaped: Device.columns) FROM devices WHERE public_key = \(device.publicKey)
                    """, logger: logger).first.map(Device.init(row:)) {
                    guard same.identityKey == device.identityKey else {
                        throw StoreError(.conflict, "The device key is already registered.")
                    }
                    return same
                }
                guard try await !connection.rows("SELECT 1 FROM devices WHERE identity_key = \(device.identityKey) LIMIT 1", logger: logger).isEmpty else {
                    throw StoreError(.unknownIdentity, "No account has this identity key.")
                }
                return try await Self.insert(device, connection, logger)
            }
        } catch let error as StoreError where error.code == .conflict {
            throw StoreError(.conflict, "The device key is already registered.", underlying: error.underlying)
        }
    }

    public func removeDevice(_ id: DeviceID) async throws -> Bool {
        // The cache is emptied of the device's tokens even if the removal fails: it refills from the database.
        defer { tokens.forget([id]) }
        return try await transaction { connection, logger in
            guard let identityKey = try await connection.rows("SELECT identity_key FROM devices WHERE id = \(id.uuid)", logger: logger)
                .first?.decode(Data.self)
            else { return false }
            // Under the identity's lock, so two removals cannot leave the account with no device.
            try await Self.lockIdentity(identityKey, connection, logger)
            let count = try await connection.rows("SELECT COUNT(*) FROM devices WHERE identity_key = \(identityKey)", logger: logger)
                .first?.decode(Int64.self) ?? 0
            guard count > 1 else { throw StoreError(.conflict, "An account keeps at least one device.") }
            // Foreign keys cascade to messages, credentials, KeyPackages and unfinished uploads.
            guard try await !connection.rows("DELETE FROM devices WHERE id = \(id.uuid) RETURNING 1", logger: logger).isEmpty else { return false }
            // Every relay closes the device's WebSockets once this commits.
            try await Self.notifyRemoved(id, on: connection, logger: logger)
            return true
        }
    }

    /// Serialises changes to one identity's devices across processes (a transaction-scoped advisory lock).
    static func lockIdentity(_ identityKey: Data, _ connection: PostgresConnection, _ logger: Logger) async throws {
        let lockKey = identityKey.prefix(8).reduce(Int64(0)) { $0 << 8 | Int64($1) }
        try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
    }

    /// Inserts a device row; returns the device as stored (time truncated to milliseconds).
    static func insert(_ device: Device, _ connection: PostgresConnection, _ logger: Logger) async throws -> Device {
        try await connection.query("""
            INSERT INTO devices (id, identity_key, public_key, binding, created_at)
            VALUES (\(device.id.uuid), \(device.identityKey), \(device.publicKey), \(device.binding), \(StoredTime.milliseconds(device.createdAt)))
            """, logger: logger)
        var stored = device
        stored.createdAt = StoredTime.truncated(device.createdAt)
        return stored
    }
}
