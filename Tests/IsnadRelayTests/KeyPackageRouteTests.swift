import Foundation
import Testing

@Suite("/v1/keypackages")
struct KeyPackageRouteTests {
    @Test("upload, count, claim each once, then the last resort")
    func directory() async throws {
        try await withRelay { relay in
            let owner = try await relay.signedIn()
            let claimer = try await relay.signedIn()
            let packages = (0..<3).map { b64(Data(repeating: UInt8($0), count: 200)) }
            let lastResort = b64(Data(repeating: 9, count: 200))
            let uploaded = try await relay.post("/v1/keypackages", ["key_packages": packages, "last_resort": lastResort], token: owner.token)
            #expect(uploaded.status == .ok)
            #expect(uploaded.json["available"] as? Int == 3)
            #expect(uploaded.json["has_last_resort"] as? Bool == true)

            var claimed: Set<String> = []
            for _ in 0..<3 {
                let reply = try await relay.post("/v1/keypackages/claim", ["identity_key": owner.identityKey], token: claimer.token)
                #expect(reply.status == .ok)
                let entries = try #require(reply.json["key_packages"] as? [[String: Any]])
                #expect(entries.count == 1)
                #expect(entries.first?["device_id"] as? String == owner.id)
                #expect(entries.first?["last_resort"] as? Bool == false)
                claimed.insert(try #require(entries.first?["key_package"] as? String))
            }
            #expect(claimed == Set(packages))
            let count = try await relay.get("/v1/keypackages/count", token: owner.token)
            #expect(count.json["available"] as? Int == 0)
            let last = try await relay.post("/v1/keypackages/claim", ["identity_key": owner.identityKey], token: claimer.token)
            let entries = try #require(last.json["key_packages"] as? [[String: Any]])
            #expect(entries.first?["key_package"] as? String == lastResort)
            #expect(entries.first?["last_resort"] as? Bool == true)
        }
    }

    @Test("claims for an unknown identity or an empty directory are 404 problems")
    func nothingToClaim() async throws {
        try await withRelay { relay in
            let owner = try await relay.signedIn()
            try await relay.post("/v1/keypackages/claim", ["identity_key": b64(Data(repeating: 7, count: 32))], token: owner.token)
                .expectProblem(.notFound, "unknown-identity")
            try await relay.post("/v1/keypackages/claim", ["identity_key": owner.identityKey], token: owner.token)
                .expectProblem(.notFound, "no-key-package")
        }
    }

    @Test("bad uploads are refused and store nothing")
    func badUploads() async throws {
        try await withRelay(configure: { $0.maxKeyPackagesPerUpload = 2; $0.maxKeyPackageSize = 100 }) { relay in
            let owner = try await relay.signedIn()
            let small = b64(Data(repeating: 1, count: 10))
            try await relay.post("/v1/keypackages", ["key_packages": [small, small, small]], token: owner.token)
                .expectProblem(.badRequest, "malformed-request")
            try await relay.post("/v1/keypackages", ["key_packages": [b64(Data(repeating: 1, count: 101))]], token: owner.token)
                .expectProblem(.contentTooLarge, "request-too-large")
            try await relay.post("/v1/keypackages", ["key_packages": [] as [String]], token: owner.token)
                .expectProblem(.badRequest, "malformed-request")
            try await relay.post("/v1/keypackages", ["key_packages": [""]], token: owner.token)
                .expectProblem(.badRequest, "malformed-request")
            try await relay.post("/v1/keypackages", ["key_packages": "AAAA"], token: owner.token)
                .expectProblem(.badRequest, "malformed-request")
            try await relay.post("/v1/keypackages", ["key_packages": [small]])
                .expectProblem(.unauthorized, "unauthorized")
            try await relay.post("/v1/keypackages/claim", ["identity_key": "AAAA"], token: owner.token)
                .expectProblem(.badRequest, "malformed-request")
            #expect(try await relay.get("/v1/keypackages/count", token: owner.token).json["available"] as? Int == 0)
        }
    }
}
