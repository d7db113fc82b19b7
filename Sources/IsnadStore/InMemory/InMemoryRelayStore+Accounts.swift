import Foundation

extension InMemoryRelayStore {
    public func registerAccount(_ device: Device) async throws -> Device {
        try state.withLock { state in
            let existing = state.devices.values.filter { $0.identityKey == device.identityKey }
            if let same = existing.first(where: { $0.publicKey == device.publicKey }) {
                return same
            }
            guard existing.isEmpty,
                  !state.devices.values.contains(where: { $0.publicKey == device.publicKey })
            else {
                throw StoreError(.conflict, "The identity key or the device key is already registered.")
            }
            state.devices[device.id] = device
            return device
        }
    }

    public func device(_ id: DeviceID) async throws -> Device? {
        state.withLock { $0.devices[id] }
    }

    public func devices(ofIdentity identityKey: Data) async throws -> [Device] {
        state.withLock { state in
            state.devices.values
                .filter { $0.identityKey == identityKey }
                .sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        }
    }
}
