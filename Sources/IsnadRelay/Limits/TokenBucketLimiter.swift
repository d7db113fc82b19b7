import Foundation
import Synchronization

/// Token buckets per key (an address or a device), in bounded memory.
///
/// When `capacity` keys are tracked, a new key first evicts the buckets that are full (their
/// owners have been quiet long enough to be forgotten without giving them anything), then, if
/// that freed too little, arbitrary ones: an attacker with many addresses can make the relay
/// forget others' buckets, never make it grow.
final class TokenBucketLimiter: Sendable {
    struct Bucket {
        var tokens: Double
        var updatedAt: Date
    }

    let rate: RateLimit
    let capacity: Int
    private let buckets = Mutex<[String: Bucket]>([:])

    init(rate: RateLimit, capacity: Int) {
        self.rate = rate
        self.capacity = max(1, capacity)
    }

    /// Takes a token for `key`; `nil` if allowed, else the seconds until one is available.
    func acquire(_ key: String, now: Date) -> Double? {
        buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: rate.burst, updatedAt: now)
            let elapsed = max(0, now.timeIntervalSince(bucket.updatedAt))
            bucket.tokens = min(rate.burst, bucket.tokens + elapsed * rate.perSecond)
            bucket.updatedAt = now
            guard bucket.tokens >= 1 else {
                buckets[key] = bucket
                return rate.perSecond > 0 ? (1 - bucket.tokens) / rate.perSecond : .infinity
            }
            bucket.tokens -= 1
            if buckets[key] == nil, buckets.count >= capacity {
                evict(from: &buckets, now: now)
            }
            buckets[key] = bucket
            return nil
        }
    }

    /// How many keys are tracked (for tests and metrics).
    var trackedKeys: Int { buckets.withLock { $0.count } }

    private func evict(from buckets: inout [String: Bucket], now: Date) {
        let target = max(1, capacity / 10)
        var removed = 0
        for (key, bucket) in buckets where bucket.tokens + now.timeIntervalSince(bucket.updatedAt) * rate.perSecond >= rate.burst {
            buckets[key] = nil
            removed += 1
        }
        while removed < target, let key = buckets.keys.first {
            buckets[key] = nil
            removed += 1
        }
    }
}
