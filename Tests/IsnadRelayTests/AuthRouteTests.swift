import Crypto
import Foundation
import HTTPTypes
import IsnadRelay
import IsnadStore
import Testing

@Suite("POST /v1/auth/challenge and /v1/auth/token")
struct AuthRouteTests {
    @Test("a signed challenge yields a token that opens protected routes")
    func signIn() async throws {
        try await withRelay { relay in
            let device = try await relay.signedIn()
            #expect(Base64URL(text: device.token)?.data.count == 32)
            let count = try await relay.get("/v1/keypackages/count", token: device.token)
            #expect(count.status == .ok)
        }
    }

    @Test("a challenge is used once")
    func challengeReuse() async throws {
        try await withRelay { relay in
            let device = try await relay.signedIn()
            let challenge = try await relay.challenge(for: device.id)
            let body = ["device_id": device.id, "challenge": challenge.text, "signature": try device.answer(challenge)]
            #expect(try await relay.post("/v1/auth/token", body).status == .ok)
            try await relay.post("/v1/auth/token", body).expectProblem(.unauthorized, "unauthorized")
        }
    }

    @Test("an expired challenge is refused")
    func expiredChallenge() async throws {
        try await withRelay { relay in
            let device = try await relay.signedIn()
            let challenge = try await relay.challenge(for: device.id)
            let signature = try device.answer(challenge)
            relay.clock.advance(by: 121)
            try await relay.post("/v1/auth/token", ["device_id": device.id, "challenge": challenge.text, "signature": signature])
                .expectProblem(.unauthorized, "unauthorized")
        }
    }

    @Test("a signature by another key, or over another device, is refused")
    func wrongSignature() async throws {
        try await withRelay { relay in
            let device = try await relay.signedIn()
            let other = try await relay.signedIn()
            let challenge = try await relay.challenge(for: device.id)
            let byOther = try other.answer(challenge, as: device.id)
            try await relay.post("/v1/auth/token", ["device_id": device.id, "challenge": challenge.text, "signature": byOther])
                .expectProblem(.unauthorized, "invalid-signature")
            let overOther = try device.answer(challenge, as: other.id)
            try await relay.post("/v1/auth/token", ["device_id": device.id, "challenge": challenge.text, "signature": overOther])
                .expectProblem(.unauthorized, "invalid-signature")
        }
    }

    @Test("an unknown device and malformed fields are refused")
    func badInput() async throws {
        try await withRelay { relay in
            try await relay.post("/v1/auth/challenge", ["device_id": UUID().uuidString]).expectProblem(.unprocessableContent, "unknown-device")
            try await relay.post("/v1/auth/challenge", ["device_id": "nope"]).expectProblem(.badRequest, "malformed-request")
            try await relay.post("/v1/auth/challenge", [:] as [String: String]).expectProblem(.badRequest, "malformed-request")
            let device = try await relay.signedIn()
            try await relay.post("/v1/auth/token", ["device_id": device.id, "challenge": b64(Data(count: 5)), "signature": b64(Data(count: 64))])
                .expectProblem(.badRequest, "malformed-request")
            try await relay.post("/v1/auth/token", ["device_id": device.id, "challenge": b64(Data(count: 32)), "signature": b64(Data(count: 10))])
                .expectProblem(.badRequest, "malformed-request")
        }
    }

    @Test("protected routes need a valid, unexpired bearer token")
    func bearer() async throws {
        try await withRelay { relay in
            let device = try await relay.signedIn()
            let missing = try await relay.get("/v1/keypackages/count")
            missing.expectProblem(.unauthorized, "unauthorized")
            #expect(missing.headers[.wwwAuthenticate] == "Bearer")
            try await relay.get("/v1/keypackages/count", token: "garbage!").expectProblem(.unauthorized, "unauthorized")
            try await relay.get("/v1/keypackages/count", token: b64(Data(count: 32))).expectProblem(.unauthorized, "unauthorized")
            relay.clock.advance(by: 3601)
            try await relay.get("/v1/keypackages/count", token: device.token).expectProblem(.unauthorized, "unauthorized")
        }
    }

    @Test("the bearer scheme is read without regard to case; a token sent twice, with another scheme or with no space is refused")
    func bearerHeaderForms() async throws {
        try await withRelay { relay in
            let device = try await relay.signedIn()
            func count(_ fields: [(String, String)]) async throws -> Reply {
                var headers = HTTPFields()
                for (name, value) in fields { headers.append(HTTPField(name: try #require(HTTPField.Name(name)), value: value)) }
                return try await relay.request(.get, "/v1/keypackages/count", headers: headers)
            }
            for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
                #expect(try await count([("Authorization", "\(scheme) \(device.token)")]).status == .ok, "\(scheme)")
            }
            for value in ["Basic \(device.token)", "Bearer\(device.token)", "Bearer  \(device.token)", "Bearer \(device.token)x", "Bearer ",
                          "Bearer", "Beare \(device.token)", "Bearér \(device.token)", ""] {
                try await count([("Authorization", value)]).expectProblem(.unauthorized, "unauthorized")
            }
            // Two Authorization fields read as one value joined by ", ", which is no token.
            try await count([("Authorization", "Bearer \(device.token)"), ("Authorization", "Bearer \(device.token)")])
                .expectProblem(.unauthorized, "unauthorized")
        }
    }

    @Test("a JSON body's content type is read without regard to case; another type is refused")
    func contentTypes() async throws {
        try await withRelay { relay in
            let device = try await relay.signedIn()
            let body = Data(#"{"message_id":"\#(UUID().uuidString.lowercased())","recipients":["\#(device.id)"],"payload":"AQ"}"#.utf8)
            for type in ["application/json", "Application/JSON; charset=utf-8", "APPLICATION/JSON"] {
                let reply = try await relay.request(.post, "/v1/messages", body: body, token: device.token, contentType: type)
                #expect(reply.status == .created || reply.status == .ok, "\(type)")
            }
            for type in ["text/plain", "application/jso", "application/xml"] {
                try await relay.request(.post, "/v1/messages", body: body, token: device.token, contentType: type)
                    .expectProblem(.badRequest, "malformed-request")
            }
        }
    }
}
