import Foundation

extension InMemoryRelayStore {
    public func uploadKeyPackages(_ packages: [KeyPackageUpload], for device: DeviceID, now: Date) async throws -> KeyPackageCount {
        try state.withLock { state in
            guard state.devices[device] != nil else {
                throw StoreError(.unknownDevice, "The device does not exist.")
            }
            var entry = state.directory[device, default: .init()]
            for package in packages {
                if package.isLastResort {
                    entry.lastResort = package.bytes
                } else if !entry.ordinary.contains(package.bytes) {
                    entry.ordinary.append(package.bytes)
                }
            }
            state.directory[device] = entry
            return KeyPackageCount(available: entry.ordinary.count, hasLastResort: entry.lastResort != nil)
        }
    }

    public func claimKeyPackages(ofIdentity identityKey: Data) async throws -> [ClaimedKeyPackage] {
        state.withLock { state in
            let devices = state.devices.values
                .filter { $0.identityKey == identityKey }
                .sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
            var claimed: [ClaimedKeyPackage] = []
            for device in devices {
                guard var entry = state.directory[device.id] else { continue }
                if !entry.ordinary.isEmpty {
                    claimed.append(.init(device: device.id, bytes: entry.ordinary.removeFirst(), isLastResort: false))
                    state.directory[device.id] = entry
                } else if let lastResort = entry.lastResort {
                    claimed.append(.init(device: device.id, bytes: lastResort, isLastResort: true))
                }
            }
            return claimed
        }
    }

    public func keyPackageCount(for device: DeviceID) async throws -> KeyPackageCount {
        state.withLock { state in
            let entry = state.directory[device, default: .init()]
            return KeyPackageCount(available: entry.ordinary.count, hasLastResort: entry.lastResort != nil)
        }
    }
}
