import Foundation
import HTTPTypes
import Testing

/// Whatever a peer sends, the relay answers a 4xx problem, never a 5xx.
@Suite("Malformed input never yields a 5xx")
struct MalformedInputTests {
    static let routes: [(HTTPRequest.Method, String)] = [
        (.post, "/v1/accounts"), (.post, "/v1/auth/challenge"), (.post, "/v1/auth/token"),
        (.post, "/v1/keypackages"), (.post, "/v1/keypackages/claim"), (.post, "/v1/messages"),
        (.post, "/v1/messages/ack"), (.post, "/v1/groups/Z3JvdXA/commits"),
    ]

    static let fields = [
        "identity_key", "device_key", "device_binding", "device_proof", "device_id", "challenge", "signature",
        "key_packages", "last_resort", "message_id", "recipients", "payload", "cursors", "epoch", "commit", "welcome",
    ]

    /// Values of every JSON kind, and edge cases of the expected ones.
    static var values: [Any] { [
        NSNull(), 0, -1, 1.5, 1e300, Int64.max, "", "!!", "AAAA", "AB", "A", String(repeating: "A", count: 5000),
        [] as [Any], [NSNull()], ["x"], [-1], [1.5], [UUID().uuidString], ["AAAA"], [:] as [String: Any],
        ["message": 1, "recipients": "x"], true,
    ] }

    static let rawBodies: [Data] = [
        Data(), Data("null".utf8), Data("[]".utf8), Data("\"text\"".utf8), Data("1e999".utf8), Data("{".utf8),
        Data("{\"a\":}".utf8), Data([0xff, 0xfe, 0x00, 0x01]), Data(String(repeating: "[", count: 100_000).utf8),
        Data("{\"epoch\": 18446744073709551616}".utf8), Data("{\"cursors\": [1e400]}".utf8),
    ]

    @Test("garbage bodies on every route", arguments: 0..<routes.count)
    func garbage(_ index: Int) async throws {
        let (method, path) = Self.routes[index]
        try await withRelay { relay in
            let device = try await relay.signedIn()
            for body in Self.rawBodies {
                let reply = try await relay.request(method, path, body: body, token: device.token)
                #expect((400..<500).contains(reply.status.code), "\(path) answered \(reply.status.code) to \(body.prefix(20))")
                #expect(reply.headers[.contentType] == "application/problem+json")
            }
        }
    }

    @Test("every field set to every kind of value on every route", arguments: 0..<routes.count)
    func wrongValues(_ index: Int) async throws {
        let (method, path) = Self.routes[index]
        var group = try TestGroup(id: Array("group".utf8))             // the group in the commit route's path
        let commit = b64(try group.pendingCommit().message.encoded)
        try await withRelay { relay in
            let device = try await relay.signedIn()
            for field in Self.fields {
                for value in Self.values {
                    var object = Self.validLooking(for: device.id, commit: commit)
                    object[field] = value
                    let body = try JSONSerialization.data(withJSONObject: object)
                    let reply = try await relay.request(method, path, body: body, token: device.token)
                    #expect(reply.status.code < 500, "\(path) answered \(reply.status.code) with \(field) = \(value)")
                    if reply.status.code >= 400 {
                        #expect(reply.headers[.contentType] == "application/problem+json")
                    }
                }
            }
        }
    }

    @Test("garbage in paths and queries")
    func garbagePaths() async throws {
        try await withRelay { relay in
            let device = try await relay.signedIn()
            for uri in [
                "/v1/messages?after=1e3", "/v1/messages?after=%00", "/v1/messages?limit=-5&after=99999999999999999999",
                "/v1/groups/%2F%2F/epoch", "/v1/groups/" + String(repeating: "A", count: 4000) + "/epoch",
                "/v1/groups//commits", "/v1/messages/ws", "/v1/%ZZ",
            ] {
                let reply = try await relay.get(uri, token: device.token)
                #expect((400..<500).contains(reply.status.code), "\(uri) answered \(reply.status.code)")
                #expect(reply.headers[.contentType] == "application/problem+json")
            }
            // Unknown query parameters are ignored, as HTTP APIs usually do.
            #expect(try await relay.get("/v1/keypackages/count?x=%ZZ", token: device.token).status == .ok)
        }
    }

    /// A body with every field present and plausible, so that one wrong field is what is tested.
    static func validLooking(for deviceID: String, commit: String) -> [String: Any] {
        [
            "identity_key": b64(Data(count: 32)), "device_key": b64(Data(count: 32)),
            "device_binding": b64(Data(count: 64)), "device_proof": b64(Data(count: 64)), "device_id": deviceID,
            "challenge": b64(Data(count: 32)), "signature": b64(Data(count: 64)), "key_packages": ["AAAA"],
            "message_id": UUID().uuidString, "recipients": [deviceID], "payload": "AAAA", "cursors": [1],
            "epoch": 0, "commit": commit,
        ]
    }
}
