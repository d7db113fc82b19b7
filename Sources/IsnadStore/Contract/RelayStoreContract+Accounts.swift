import Foundation

extension RelayStoreContract {
    static let accountChecks: [Check] = [
        Check("an account is registered once and found by device and by identity") { store in
            let device = try await registerDevice(store)
            try expect(try await store.device(device.id) == device, "device(_:) returns the registered device")
            try expect(try await store.devices(ofIdentity: device.identityKey) == [device], "devices(ofIdentity:) lists it")
            try expect(try await store.device(.random()) == nil, "an unknown device is nil")
            try expect(try await store.devices(ofIdentity: randomBytes(32)).isEmpty, "an unknown identity has no devices")

            var retry = device
            retry.id = .random()
            try expect(try await store.registerAccount(retry) == device, "a repeated registration returns the original device")
        },
        Check("a key cannot be registered twice for different accounts") { store in
            let device = try await registerDevice(store)
            var sameIdentity = device
            sameIdentity.id = .random()
            sameIdentity.publicKey = randomBytes(32)
            try await expectStoreError(.conflict, "a second device key for a registered identity") {
                try await store.registerAccount(sameIdentity)
            }
            var sameDeviceKey = device
            sameDeviceKey.id = .random()
            sameDeviceKey.identityKey = randomBytes(32)
            try await expectStoreError(.conflict, "a device key under another identity") {
                try await store.registerAccount(sameDeviceKey)
            }
            try expect(try await store.devices(ofIdentity: sameDeviceKey.identityKey).isEmpty, "nothing stored on conflict")
        },
    ]
}
