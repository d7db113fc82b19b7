import Foundation
import Testing

@Suite("/v1/groups/{group_id}/commits")
struct GroupRouteTests {
    let group = b64(Data("a group id".utf8))

    @Test("a commit for the current epoch advances it and reaches members and joiners")
    func commit() async throws {
        try await withRelay { relay in
            let committer = try await relay.signedIn()
            let member = try await relay.signedIn()
            let joiner = try await relay.signedIn()
            let commit: [String: Any] = [
                "message_id": UUID().uuidString, "epoch": 0, "commit": b64(Data("commit".utf8)), "recipients": [member.id],
                "welcome": ["message": b64(Data("welcome".utf8)), "recipients": [joiner.id]],
            ]
            let accepted = try await relay.post("/v1/groups/\(group)/commits", commit, token: committer.token)
            #expect(accepted.status == .ok)
            #expect(accepted.json["epoch"] as? Int == 1)
            #expect(try await relay.get("/v1/groups/\(group)/epoch", token: member.token).json["epoch"] as? Int == 1)

            let retry = try await relay.post("/v1/groups/\(group)/commits", commit, token: committer.token)
            #expect(retry.status == .ok)
            #expect(retry.json["epoch"] as? Int == 1)

            let memberInbox = try await relay.get("/v1/messages", token: member.token).json["messages"] as? [[String: Any]]
            #expect(memberInbox?.map { $0["payload"] as? String } == [b64(Data("commit".utf8))])
            let joinerInbox = try await relay.get("/v1/messages", token: joiner.token).json["messages"] as? [[String: Any]]
            #expect(joinerInbox?.map { $0["payload"] as? String } == [b64(Data("welcome".utf8))])
        }
    }

    @Test("a stale commit is a 409 problem with the current epoch, and stores nothing")
    func stale() async throws {
        try await withRelay { relay in
            let committer = try await relay.signedIn()
            let member = try await relay.signedIn()
            func commit(epoch: Int) async throws -> Reply {
                try await relay.post("/v1/groups/\(group)/commits", [
                    "message_id": UUID().uuidString, "epoch": epoch, "commit": "AAAA", "recipients": [member.id],
                ], token: committer.token)
            }
            #expect(try await commit(epoch: 0).status == .ok)
            #expect(try await commit(epoch: 1).status == .ok)
            let stale = try await commit(epoch: 1)
            stale.expectProblem(.conflict, "epoch-conflict")
            #expect(stale.json["current_epoch"] as? Int == 2)
            let future = try await commit(epoch: 7)
            #expect(future.json["current_epoch"] as? Int == 2)
            #expect((try await relay.get("/v1/messages", token: member.token).json["messages"] as? [[String: Any]])?.count == 2)
        }
    }

    @Test("bad commits are 4xx problems and store nothing")
    func badCommits() async throws {
        try await withRelay { relay in
            let committer = try await relay.signedIn()
            let member = try await relay.signedIn()
            func commit(_ group: String, _ body: [String: Any]) async throws -> Reply {
                try await relay.post("/v1/groups/\(group)/commits", body, token: committer.token)
            }
            let valid: [String: Any] = ["message_id": UUID().uuidString, "epoch": 0, "commit": "AAAA", "recipients": [member.id]]
            try await commit("not=base64", valid).expectProblem(.badRequest, "malformed-request")
            try await commit(b64(Data(count: 300)), valid).expectProblem(.badRequest, "malformed-request")
            var body = valid; body["epoch"] = -1
            try await commit(group, body).expectProblem(.badRequest, "malformed-request")
            body = valid; body["epoch"] = UInt64.max
            try await commit(group, body).expectProblem(.badRequest, "malformed-request")
            body = valid; body["epoch"] = "zero"
            try await commit(group, body).expectProblem(.badRequest, "malformed-request")
            body = valid; body["commit"] = ""
            try await commit(group, body).expectProblem(.badRequest, "malformed-request")
            body = valid; body["welcome"] = ["message": "AAAA", "recipients": [] as [String]]
            try await commit(group, body).expectProblem(.badRequest, "malformed-request")
            body = valid; body["recipients"] = [UUID().uuidString]
            try await commit(group, body).expectProblem(.unprocessableContent, "unknown-device")
            try await relay.post("/v1/groups/\(group)/commits", valid).expectProblem(.unauthorized, "unauthorized")
            #expect(try await relay.get("/v1/groups/\(group)/epoch", token: member.token).json["epoch"] as? Int == 0)
            #expect((try await relay.get("/v1/messages", token: member.token).json["messages"] as? [[String: Any]])?.isEmpty == true)
        }
    }
}
