import Foundation

extension RelayStoreContract {
    static let authChecks: [Check] = [
        Check("a challenge is used once, by its device, before it expires") { store in
            let device = try await registerDevice(store)
            let other = try await registerDevice(store)
            let challenge = randomBytes(32)
            try await store.storeChallenge(digest: challenge, for: device.id, expiresAt: now + 60)
            try expect(try await store.consumeChallenge(digest: challenge, for: device.id, now: now), "a fresh challenge is valid")
            try expect(!(try await store.consumeChallenge(digest: challenge, for: device.id, now: now)), "a used challenge is not")

            let stolen = randomBytes(32)
            try await store.storeChallenge(digest: stolen, for: device.id, expiresAt: now + 60)
            try expect(!(try await store.consumeChallenge(digest: stolen, for: other.id, now: now)), "another device cannot use it")

            let stale = randomBytes(32)
            try await store.storeChallenge(digest: stale, for: device.id, expiresAt: now + 60)
            try expect(!(try await store.consumeChallenge(digest: stale, for: device.id, now: now + 61)), "an expired challenge is not valid")

            try await expectStoreError(.unknownDevice, "a challenge for an unknown device") {
                try await store.storeChallenge(digest: randomBytes(32), for: .random(), expiresAt: now + 60)
            }
        },
        Check("a token names its device until it expires") { store in
            let device = try await registerDevice(store)
            let token = randomBytes(32)
            try await store.storeToken(digest: token, for: device.id, expiresAt: now + 3600)
            try expect(try await store.device(forTokenDigest: token, now: now) == device.id, "a valid token names its device")
            try expect(try await store.device(forTokenDigest: token, now: now + 3600) == nil, "an expired token names nothing")
            try expect(try await store.device(forTokenDigest: randomBytes(32), now: now) == nil, "an unknown token names nothing")

            let report = try await store.removeExpired(now: now + 3601)
            try expect(report.credentials >= 1, "the sweep removes expired tokens")
            try expect(try await store.device(forTokenDigest: token, now: now) == nil, "a swept token is gone")
        },
    ]
}
