// The relay benchmark's set-up: HTTP through AsyncHTTPClient (a keep-alive pool), devices
// registered and signed in through the relay's own API; the memory figure's idle WebSockets
// through HummingbirdWSClient. The loads and the push receiver are in RawLoad.swift.
import AsyncHTTPClient
import Crypto
import Foundation
import HummingbirdWSClient
import IsnadRelay
import IsnadStore
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

/// An HTTP client for the benchmark's set-up requests to loopback servers (registration, sign-in,
/// `/healthz`); the loads go through ``RawLoad``.
struct LoadClient: Sendable {
    let http = HTTPClient(eventLoopGroupProvider: .singleton)

    struct Answer { let status: Int; let body: Data }

    func send(_ method: NIOHTTP1.HTTPMethod, port: Int, _ path: String, json: Data? = nil, token: String? = nil) async throws -> Answer {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: json))
        }
        let response = try await http.execute(request, timeout: .seconds(60))
        let body = try await response.body.collect(upTo: 16 * 1024 * 1024)
        return Answer(status: Int(response.status.code), body: Data(body.readableBytesView))
    }

    func get(port: Int, _ path: String, token: String? = nil) async throws -> Answer {
        try await send(.GET, port: port, path, token: token)
    }

    func post(port: Int, _ path: String, _ object: [String: Any], token: String? = nil) async throws -> Answer {
        try await send(.POST, port: port, path, json: try JSONSerialization.data(withJSONObject: object), token: token)
    }

    /// Registers a new account and signs its device in: (device ID, bearer token).
    func signIn(port: Int) async throws -> (id: String, token: String) {
        let identity = Curve25519.Signing.PrivateKey(), key = Curve25519.Signing.PrivateKey()
        let identityKey = identity.publicKey.rawRepresentation, deviceKey = key.publicKey.rawRepresentation
        let registered = try await post(port: port, "/v1/accounts", [
            "identity_key": Base64URL(identityKey).text, "device_key": Base64URL(deviceKey).text,
            "device_binding": Base64URL(try identity.signature(for: SignedStatement.deviceBinding(deviceKey: deviceKey))).text,
            "device_proof": Base64URL(try key.signature(for: SignedStatement.deviceProof(identityKey: identityKey))).text,
        ])
        guard let id = Self.field("device_id", registered), let device = DeviceID(id) else { throw BenchmarkFailure("registration failed: \(registered.status)") }
        let challengeText = Self.field("challenge", try await post(port: port, "/v1/auth/challenge", ["device_id": id]))
        guard let challenge = challengeText.flatMap(Base64URL.init(text:)) else { throw BenchmarkFailure("no challenge") }
        let signature = try key.signature(for: SignedStatement.authentication(challenge: challenge.data, device: device))
        let token = Self.field("token", try await post(port: port, "/v1/auth/token", [
            "device_id": id, "challenge": challenge.text, "signature": Base64URL(signature).text,
        ]))
        guard let token else { throw BenchmarkFailure("no token") }
        return (id, token)
    }

    static func field(_ name: String, _ answer: Answer) -> String? {
        ((try? JSONSerialization.jsonObject(with: answer.body)) as? [String: Any])?[name] as? String
    }

    func shutdown() async throws { try await http.shutdown() }
}

/// A 1 KiB message body for `POST /v1/messages`: a fresh message ID, one recipient, and a
/// payload whose first 8 bytes carry a sequence number (the rest is random, like ciphertext).
func messageBody(to recipient: String, sequence: UInt64) -> Data {
    var generator = SystemRandomNumberGenerator()
    var words = (0..<128).map { _ in generator.next() as UInt64 }
    words[0] = sequence.bigEndian
    let payload = words.withUnsafeBytes { Data($0) }
    let object: [String: Any] = ["message_id": UUID().uuidString, "recipients": [recipient], "payload": Base64URL(payload).text]
    return (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
}

/// The sequence numbers carried by a pushed page: the first 8 bytes of each message's payload.
/// The receiver shares the cores with the relay it measures, so it reads only the 12 base64url
/// characters after each `"payload":"` (9 bytes) rather than parsing the page's JSON; a page
/// spelled otherwise (no such key) is parsed as JSON.
func sequences(inPage text: String) -> [UInt64] {
    let marker = Array(#""payload":""#.utf8)
    var text = text
    let found: [UInt64]? = text.withUTF8 { bytes in
        var result: [UInt64] = []
        var index = 0
        while index + marker.count + 12 <= bytes.count {
            guard bytes[index] == marker[0], marker.indices.allSatisfy({ bytes[index + $0] == marker[$0] }) else {
                index += 1
                continue
            }
            let start = index + marker.count
            guard let head = Base64URL(text: String(decoding: bytes[start..<start + 12], as: UTF8.self)) else { return nil }
            result.append(head.data.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
            index = start + 12
        }
        return result
    }
    if let found, !found.isEmpty { return found }
    guard let page = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
          let messages = page["messages"] as? [[String: Any]] else { return [] }
    return messages.compactMap { message in
        guard let payload = (message["payload"] as? String).flatMap(Base64URL.init(text:)), payload.data.count >= 8 else { return nil }
        return payload.data.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }
}

/// Opens when told to; everything waiting on it then goes on.
actor Gate {
    private var isOpen = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func wait() async {
        if isOpen { return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func open() {
        isOpen = true
        for waiter in waiters { waiter.resume() }
        waiters = []
    }
}

/// Percentiles of a sample, in the sample's unit.
func percentile(_ values: [Double], _ fraction: Double) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * fraction).rounded()))]
}

/// Monotonic seconds.
func seconds() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// A value shared between tasks, behind a lock.
final class Shared<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<T>(_ body: (inout Value) -> T) -> T { mutex.withLock { body(&$0) } }
}
