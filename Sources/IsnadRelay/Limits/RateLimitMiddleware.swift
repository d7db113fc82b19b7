import Foundation
import Hummingbird

/// Answers 429 (a `rate-limited` problem with `Retry-After`) when a key's bucket is empty.
///
/// Used three times: per remote address on every route, and per device and per identity after
/// bearer authentication.
/// Addresses live only in memory, in the limiter's buckets; they are never stored or logged.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = RelayRequestContext
    let limiter: TokenBucketLimiter
    let now: @Sendable () -> Date
    let key: @Sendable (Request, Context) async throws -> String?
    let subject: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let key = try await key(request, context), let wait = limiter.acquire(key, now: now()) {
            throw RelayError(.rateLimited, "Too many requests from this \(subject); retry later.", retryAfter: wait)
        }
        return try await next(request, context)
    }
}
