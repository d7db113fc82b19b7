import Foundation
import Testing

@testable import IsnadRelay

@Suite("Rate limits")
struct RateLimitTests {
    @Test("a device past its burst gets a 429 problem with Retry-After, and is served again after refill")
    func perDevice() async throws {
        try await withRelay(configure: { $0.deviceRateLimit = RateLimit(perSecond: 1, burst: 3) }) { relay in
            let device = try await relay.signedIn()
            for _ in 0..<3 {
                #expect(try await relay.get("/v1/keypackages/count", token: device.token).status == .ok)
            }
            let limited = try await relay.get("/v1/keypackages/count", token: device.token)
            limited.expectProblem(.tooManyRequests, "rate-limited")
            #expect(limited.headers[.retryAfter] == "1")
            let other = try await relay.signedIn()
            #expect(try await relay.get("/v1/keypackages/count", token: other.token).status == .ok, "another device has its own bucket")
            relay.clock.advance(by: 1)
            #expect(try await relay.get("/v1/keypackages/count", token: device.token).status == .ok)
        }
    }

    @Test("an account's devices share one per-identity bucket; another account has its own")
    func perIdentity() async throws {
        try await withRelay(configure: { $0.identityRateLimit = RateLimit(perSecond: 1, burst: 4) }) { relay in
            let first = try await relay.signedIn()
            let second = try await DeviceRouteTests.linked(relay, to: first)   // one request of the account's four
            for device in [first, second, first] {
                #expect(try await relay.get("/v1/keypackages/count", token: device.token).status == .ok)
            }
            try await relay.get("/v1/keypackages/count", token: second.token).expectProblem(.tooManyRequests, "rate-limited")
            try await relay.get("/v1/keypackages/count", token: first.token).expectProblem(.tooManyRequests, "rate-limited")
            let other = try await relay.signedIn()
            #expect(try await relay.get("/v1/keypackages/count", token: other.token).status == .ok, "another account has its own bucket")
            relay.clock.advance(by: 1)
            #expect(try await relay.get("/v1/keypackages/count", token: second.token).status == .ok)
        }
    }

    @Test("an address past its burst gets a 429 problem on every route but /healthz")
    func perAddress() async throws {
        try await withRelay(.live, configure: { $0.addressRateLimit = RateLimit(perSecond: 1, burst: 4) }) { relay in
            for _ in 0..<4 {
                try await relay.get("/v1/keypackages/count").expectProblem(.unauthorized, "unauthorized")
            }
            try await relay.get("/v1/keypackages/count").expectProblem(.tooManyRequests, "rate-limited")
            try await relay.post("/v1/accounts", TestDevice().registration).expectProblem(.tooManyRequests, "rate-limited")
            #expect(try await relay.get("/healthz").status == .ok)
        }
    }

    @Test("the limiter remembers a bounded number of keys")
    func boundedMemory() {
        let limiter = TokenBucketLimiter(rate: RateLimit(perSecond: 1, burst: 2), capacity: 100)
        let now = Date(timeIntervalSince1970: 0)
        for index in 0..<10_000 {
            #expect(limiter.acquire("key \(index)", now: now) == nil)
        }
        #expect(limiter.trackedKeys <= 100)
        // A key that is still limited keeps its state while it is tracked.
        #expect(limiter.acquire("hot", now: now) == nil)
        #expect(limiter.acquire("hot", now: now) == nil)
        #expect(limiter.acquire("hot", now: now) != nil)
    }
}
