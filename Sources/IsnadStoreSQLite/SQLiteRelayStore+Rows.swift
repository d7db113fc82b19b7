import Foundation
import GRDB
import IsnadStore

extension DeviceID {
    /// Reads a stored 16-byte device ID.
    init(stored bytes: Data) throws {
        guard let uuid = UUID(bytes: bytes) else {
            throw StoreError(.internal, "A stored device ID is not 16 bytes.")
        }
        self.init(uuid)
    }
}

extension Device {
    /// Reads a row of `devices`.
    init(row: Row) throws {
        self.init(
            id: try DeviceID(stored: row["id"]),
            identityKey: row["identity_key"],
            publicKey: row["public_key"],
            binding: row["binding"],
            createdAt: StoredTime.date(row["created_at"]))
    }
}
