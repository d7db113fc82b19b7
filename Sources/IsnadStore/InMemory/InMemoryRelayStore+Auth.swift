import Foundation

extension InMemoryRelayStore {
    public func storeChallenge(digest: Data, for device: DeviceID, expiresAt: Date) async throws {
        try state.withLock { state in
            guard state.devices[device] != nil else {
                throw StoreError(.unknownDevice, "The device does not exist.")
            }
            state.challenges[digest] = (device, expiresAt)
        }
    }

    public func consumeChallenge(digest: Data, for device: DeviceID, now: Date) async throws -> Bool {
        state.withLock { state in
            guard let challenge = state.challenges.removeValue(forKey: digest) else { return false }
            return challenge.device == device && challenge.expiresAt > now
        }
    }

    public func storeToken(digest: Data, for device: DeviceID, expiresAt: Date) async throws {
        try state.withLock { state in
            guard state.devices[device] != nil else {
                throw StoreError(.unknownDevice, "The device does not exist.")
            }
            state.tokens[digest] = (device, expiresAt)
        }
    }

    public func device(forTokenDigest digest: Data, now: Date) async throws -> DeviceID? {
        state.withLock { state in
            guard let token = state.tokens[digest], token.expiresAt > now else { return nil }
            return token.device
        }
    }
}
