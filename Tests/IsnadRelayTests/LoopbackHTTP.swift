import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import IsnadRelay
import Testing

/// A small JSON client for a relay process on 127.0.0.1, for tests that kill that process:
/// every call has a short timeout, and ``untilSuccess(_:_:)`` retries until a 2xx or the end.
struct LoopbackHTTP: Sendable {
    struct Answer {
        var status: Int
        var json: [String: Any]
        var retryAfter: Double?
        /// For ``untilSuccess(_:_:)``: how many calls it took.
        var attempts = 1
    }

    let base: URL
    let end: ContinuousClock.Instant
    let session: URLSession

    init(port: Int, end: ContinuousClock.Instant) {
        base = URL(string: "http://127.0.0.1:\(port)")!
        self.end = end
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 3
        configuration.timeoutIntervalForResource = 5
        configuration.httpMaximumConnectionsPerHost = 8
        session = URLSession(configuration: configuration)
    }

    var hasTimeLeft: Bool { ContinuousClock.now < end }

    func send(_ method: String, _ path: String, json: Any? = nil, token: String? = nil) async throws -> Answer {
        var request = URLRequest(url: URL(string: path, relativeTo: base)!)
        request.httpMethod = method
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response): (Data, URLResponse) = try await withCheckedThrowingContinuation { continuation in
            session.dataTask(with: request) { data, response, error in
                if let data, let response {
                    continuation.resume(returning: (data, response))
                } else {
                    continuation.resume(throwing: error ?? URLError(.badServerResponse))
                }
            }.resume()
        }
        let http = response as? HTTPURLResponse
        return Answer(
            status: http?.statusCode ?? 0,
            json: (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:],
            retryAfter: http?.value(forHTTPHeaderField: "Retry-After").flatMap(Double.init))
    }

    /// Runs `call` until it answers a 2xx, retrying on any error or other status (after
    /// `Retry-After` when given, at most a second); fails once the end has passed.
    func untilSuccess(_ what: String, _ call: () async throws -> Answer) async throws -> Answer {
        var last = "nothing"
        var attempts = 0
        while hasTimeLeft {
            attempts += 1
            do {
                var answer = try await call()
                answer.attempts = attempts
                if (200..<300).contains(answer.status) { return answer }
                last = "status \(answer.status) \(answer.json["code"] as? String ?? "")"
                try await Task.sleep(for: .milliseconds(Int(min(answer.retryAfter ?? 0.02, 1) * 1000)))
            } catch let error as CancellationError {
                throw error
            } catch {
                last = "\(error)"
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        throw CrashTestError("\(what) got no 2xx in time; last: \(last)")
    }

    func isHealthy() async throws -> Bool {
        (try? await send("GET", "/healthz").status) == 200
    }

    /// Registers a device and signs it in, retrying each step across restarts.
    func signIn(_ device: TestDevice) async throws -> TestDevice {
        var device = device
        let registered = try await untilSuccess("registration") { try await send("POST", "/v1/accounts", json: device.registration) }
        device.id = try #require(registered.json["device_id"] as? String)
        let signedIn = device
        let token = try await untilSuccess("sign-in") {
            let challenge = try await send("POST", "/v1/auth/challenge", json: ["device_id": signedIn.id])
            guard challenge.status == 200, let text = challenge.json["challenge"] as? String, let bytes = Base64URL(text: text) else {
                return challenge
            }
            return try await send("POST", "/v1/auth/token", json: [
                "device_id": signedIn.id, "challenge": text, "signature": try signedIn.answer(bytes),
            ])
        }
        device.token = try #require(token.json["token"] as? String)
        return device
    }
}
