import Crypto
import Foundation
import IsnadStore
import Synchronization

/// The account (identity key) of each device recently seen, for the per-identity rate limit:
/// a device's identity never changes, so an answer, once read from the store, stays true.
/// Bounded: when full it starts again empty. The key it hands out is a digest of the identity
/// key, kept in memory only (like addresses in the limiter), never stored or logged.
final class DeviceIdentities: Sendable {
    private let store: any RelayStore
    private let capacity: Int
    private let known = Mutex<[DeviceID: String]>([:])

    init(store: any RelayStore, capacity: Int) {
        self.store = store
        self.capacity = max(1, capacity)
    }

    /// The limiter key of `device`'s identity; `nil` for a device that no longer exists.
    func identity(of device: DeviceID) async throws -> String? {
        if let key = known.withLock({ $0[device] }) { return key }
        guard let stored = try await store.device(device) else { return nil }
        let key = Data(SHA256.hash(data: stored.identityKey)).base64EncodedString()
        known.withLock { known in
            if known.count >= capacity { known.removeAll(keepingCapacity: true) }
            known[device] = key
        }
        return key
    }
}
