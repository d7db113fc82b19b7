import Foundation
import IsnadStore
import PostgresNIO

extension PostgresRelayStore {
    public func uploadKeyPackages(_ packages: [KeyPackageUpload], for device: DeviceID, now: Date) async throws -> KeyPackageCount {
        try await transaction { connection, logger in
            // Lock the device row: it must exist, and concurrent uploads of a last resort serialise.
            guard try await !connection.rows("SELECT 1 FROM devices WHERE id = \(device.uuid) FOR UPDATE", logger: logger).isEmpty else {
                throw StoreError(.unknownDevice, "The device does not exist.")
            }
            for package in packages {
                if package.isLastResort {
                    try await connection.query("""
                        DELETE FROM key_packages WHERE device_id = \(device.uuid) AND (is_last_resort OR digest = \(package.digest))
                        """, logger: logger)
                }
                try await connection.query("""
                    INSERT INTO key_packages (device_id, digest, bytes, is_last_resort, uploaded_at)
                    VALUES (\(device.uuid), \(package.digest), \(package.bytes), \(package.isLastResort), \(StoredTime.milliseconds(now)))
                    ON CONFLICT (device_id, digest) DO NOTHING
                    """, logger: logger)
            }
            return try await Self.count(connection.rows(Self.countQuery(device), logger: logger))
        }
    }

    public func claimKeyPackages(ofIdentity identityKey: Data) async throws -> [ClaimedKeyPackage] {
        try await transaction { connection, logger in
            let devices = try await connection.rows(
                "SELECT id FROM devices WHERE identity_key = \(identityKey) ORDER BY created_at, id", logger: logger
            ).map { try $0.decode(UUID.self) }
            var claimed: [ClaimedKeyPackage] = []
            for device in devices {
                // SKIP LOCKED: a concurrent claim holding a row makes us take the next one, so
                // every row goes to exactly one claim and no claim waits for another.
                let taken = try await connection.rows("""
                    DELETE FROM key_packages WHERE id = (
                        SELECT id FROM key_packages WHERE device_id = \(device) AND NOT is_last_resort
                        ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED
                    ) RETURNING bytes
                    """, logger: logger)
                if let row = taken.first {
                    claimed.append(.init(device: DeviceID(device), bytes: try row.decode(Data.self), isLastResort: false))
                } else if let row = try await connection.rows(
                    "SELECT bytes FROM key_packages WHERE device_id = \(device) AND is_last_resort", logger: logger
                ).first {
                    claimed.append(.init(device: DeviceID(device), bytes: try row.decode(Data.self), isLastResort: true))
                }
            }
            return claimed
        }
    }

    public func keyPackageCount(for device: DeviceID) async throws -> KeyPackageCount {
        try Self.count(await rows(Self.countQuery(device)))
    }

    static func countQuery(_ device: DeviceID) -> PostgresQuery {
        """
        SELECT count(*) FILTER (WHERE NOT is_last_resort), bool_or(is_last_resort)
        FROM key_packages WHERE device_id = \(device.uuid)
        """
    }

    static func count(_ rows: [PostgresRow]) throws -> KeyPackageCount {
        guard let row = rows.first else { return KeyPackageCount(available: 0, hasLastResort: false) }
        let (available, hasLastResort) = try row.decode((Int64, Bool?).self)
        return KeyPackageCount(available: Int(available), hasLastResort: hasLastResort ?? false)
    }
}
