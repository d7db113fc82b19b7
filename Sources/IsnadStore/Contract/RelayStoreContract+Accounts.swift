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
        Check("a second device joins an identity, has its own mailbox, and can be removed but not the last") { store in
            let first = try await registerDevice(store)
            let linked = Device(id: .random(), identityKey: first.identityKey, publicKey: randomBytes(32), binding: randomBytes(64), createdAt: now + 1)
            try expect(try await store.addDevice(linked) == linked, "addDevice stores the device")
            var replay = linked
            replay.id = .random()
            try expect(try await store.addDevice(replay) == linked, "adding the same key again returns the stored device")
            try expect(try await store.devices(ofIdentity: first.identityKey) == [first, linked], "both devices, oldest first")
            var registeredAgain = linked
            registeredAgain.id = .random()
            try expect(try await store.registerAccount(registeredAgain) == linked, "a linked device finds its ID by registering its keys again")

            var stolenKey = linked
            stolenKey.id = .random()
            stolenKey.identityKey = randomBytes(32)
            try await expectStoreError(.unknownIdentity, "a device for an identity without account") {
                try await store.addDevice(Device(id: .random(), identityKey: randomBytes(32), publicKey: randomBytes(32), binding: randomBytes(64), createdAt: now))
            }
            let other = try await registerDevice(store)
            stolenKey.identityKey = other.identityKey
            try await expectStoreError(.conflict, "a device key already bound to another identity") {
                try await store.addDevice(stolenKey)
            }

            _ = try await store.enqueue(message(to: [linked.id]), now: now)
            try expect(try await store.messages(for: first.id, after: 0, limit: 10, now: now).isEmpty, "each device has its own mailbox")
            let linkedToken = randomBytes(32), firstToken = randomBytes(32)
            try await store.storeToken(digest: linkedToken, for: linked.id, expiresAt: now + 60)
            try await store.storeToken(digest: firstToken, for: first.id, expiresAt: now + 60)
            for _ in 0..<2 {  // twice: a store may answer known tokens from memory
                try expect(try await store.device(forTokenDigest: linkedToken, now: now) == linked.id, "the linked device's token works")
            }
            try expect(try await store.removeDevice(linked.id), "removing a device")
            try expect(try await store.device(linked.id) == nil, "it is gone")
            try expect(try await store.device(forTokenDigest: linkedToken, now: now) == nil, "its token no longer works, even one just used")
            try expect(try await store.device(forTokenDigest: firstToken, now: now) == first.id, "the other device's token still works")
            try expect(try await store.device(forTokenDigest: firstToken, now: now + 61) == nil, "until it expires")
            try expect(try await store.messages(for: linked.id, after: 0, limit: 10, now: now).isEmpty, "with its mailbox")
            try expect(try await !store.removeDevice(linked.id), "removing it again finds nothing")
            try await expectStoreError(.conflict, "removing the last device") {
                try await store.removeDevice(first.id)
            }
            try expect(try await store.devices(ofIdentity: first.identityKey) == [first], "the last device stays")
        },
    ]
}
