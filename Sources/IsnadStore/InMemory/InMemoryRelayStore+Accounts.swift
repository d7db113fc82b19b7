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

extension InMemoryRelayStore {
    public func addDevice(_ device: Device) async throws -> Device {
        try state.withLock { state in
            if let same = state.devices.values.first(where: { $0.publicKey == device.publicKey }) {
                guard same.identityKey == device.identityKey else {
                    throw StoreError(.conflict, "The device key is already registered.")
                }
                return same
            }
            guard state.devices.values.contains(where: { $0.identityKey == device.identityKey }) else {
                throw StoreError(.unknownIdentity, "No account has this identity key.")
            }
            state.devices[device.id] = device
            return device
        }
    }

    public func removeDevice(_ id: DeviceID) async throws -> Bool {
        try state.withLock { state in
            guard let device = state.devices[id] else { return false }
            guard state.devices.values.contains(where: { $0.identityKey == device.identityKey && $0.id != id }) else {
                throw StoreError(.conflict, "An account keeps at least one device.")
            }
            state.devices[id] = nil
            state.mailboxes[id] = nil
            state.directory[id] = nil
            state.challenges = state.challenges.filter { $0.value.device != id }
            state.tokens = state.tokens.filter { $0.value.device != id }
            state.attachments = state.attachments.filter { $0.value.record.uploader != id }
            return true
        }
    }
}
