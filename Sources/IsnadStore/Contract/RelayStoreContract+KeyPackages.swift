import Foundation

extension RelayStoreContract {
    static let keyPackageChecks: [Check] = [
        Check("each KeyPackage is handed out once and the last-resort one stays") { store in
            let device = try await registerDevice(store)
            let packages = (0..<3).map { _ in randomBytes(100) }
            let lastResort = randomBytes(100)
            let uploads = packages.map { KeyPackageUpload(bytes: $0) } + [KeyPackageUpload(bytes: lastResort, isLastResort: true)]
            var count = try await store.uploadKeyPackages(uploads, for: device.id, now: now)
            try expect(count == KeyPackageCount(available: 3, hasLastResort: true), "upload returns the count")

            count = try await store.uploadKeyPackages([KeyPackageUpload(bytes: packages[0])], for: device.id, now: now)
            try expect(count.available == 3, "the same bytes are not stored twice")

            var claimed: [Data] = []
            for _ in 0..<3 {
                let claim = try await store.claimKeyPackages(ofIdentity: device.identityKey)
                try expect(claim.count == 1 && claim[0].device == device.id && !claim[0].isLastResort, "an ordinary KeyPackage of the device")
                claimed.append(claim[0].bytes)
            }
            try expect(Set(claimed) == Set(packages), "every ordinary KeyPackage handed out once")
            try expect(try await store.keyPackageCount(for: device.id) == KeyPackageCount(available: 0, hasLastResort: true), "none left but the last resort")
            for _ in 0..<2 {
                let claim = try await store.claimKeyPackages(ofIdentity: device.identityKey)
                try expect(claim == [ClaimedKeyPackage(device: device.id, bytes: lastResort, isLastResort: true)], "the last resort is handed out and stays")
            }

            let newLastResort = randomBytes(100)
            _ = try await store.uploadKeyPackages([KeyPackageUpload(bytes: newLastResort, isLastResort: true)], for: device.id, now: now)
            let claim = try await store.claimKeyPackages(ofIdentity: device.identityKey)
            try expect(claim.map(\.bytes) == [newLastResort], "a new last resort replaces the old one")

            try expect(try await store.claimKeyPackages(ofIdentity: randomBytes(32)).isEmpty, "an unknown identity has none")
            try await expectStoreError(.unknownDevice, "an upload for an unknown device") {
                try await store.uploadKeyPackages([KeyPackageUpload(bytes: randomBytes(10))], for: .random(), now: now)
            }
        },
        Check("concurrent claims never hand out a KeyPackage twice") { store in
            let device = try await registerDevice(store)
            let packages = (0..<10).map { _ in randomBytes(64) }
            _ = try await store.uploadKeyPackages(packages.map { KeyPackageUpload(bytes: $0) }, for: device.id, now: now)
            let claims = try await withThrowingTaskGroup(of: [ClaimedKeyPackage].self) { group in
                for _ in 0..<20 {
                    group.addTask { try await store.claimKeyPackages(ofIdentity: device.identityKey) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let successes = claims.flatMap { $0 }.map(\.bytes)
            try expect(successes.count == 10, "20 claims of 10 KeyPackages give 10 successes, got \(successes.count)")
            try expect(Set(successes) == Set(packages), "the 10 successes are distinct")
            try expect(try await store.keyPackageCount(for: device.id).available == 0, "none left")
        },
    ]
}
