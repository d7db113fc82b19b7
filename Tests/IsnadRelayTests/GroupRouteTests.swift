import Foundation
import IsnadMLS
import IsnadRelay
import Testing

@Suite("/v1/groups/{group_id}/commits")
struct GroupRouteTests {
    @Test("a commit for the current epoch advances it and reaches members and joiners", arguments: [WireFormat.privateMessage, .publicMessage])
    func commit(_ wireFormat: WireFormat) async throws {
        var mls = try TestGroup()
        let joinerKeys = try mls.bundle("joiner")
        let (commitBytes, welcomeBytes) = try mls.commit(adding: [joinerKeys.keyPackage], as: wireFormat)
        let welcomeMessage = try #require(welcomeBytes)
        let group = mls
        try await withRelay { relay in
            let committer = try await relay.signedIn()
            let member = try await relay.signedIn()
            let joiner = try await relay.signedIn()
            let commit: [String: Any] = [
                "message_id": UUID().uuidString, "epoch": 0, "commit": b64(commitBytes), "recipients": [member.id],
                "welcome": ["message": b64(welcomeMessage), "recipients": [joiner.id]],
            ]
            let accepted = try await relay.post("/v1/groups/\(group.pathID)/commits", commit, token: committer.token)
            #expect(accepted.status == .ok)
            #expect(accepted.json["epoch"] as? Int == 1)
            #expect(try await relay.get("/v1/groups/\(group.pathID)/epoch", token: member.token).json["epoch"] as? Int == 1)

            let retry = try await relay.post("/v1/groups/\(group.pathID)/commits", commit, token: committer.token)
            #expect(retry.status == .ok)
            #expect(retry.json["epoch"] as? Int == 1)

            let memberInbox = try await relay.get("/v1/messages", token: member.token).json["messages"] as? [[String: Any]]
            #expect(memberInbox?.map { $0["payload"] as? String } == [b64(commitBytes)])
            let joinerInbox = try await relay.get("/v1/messages", token: joiner.token).json["messages"] as? [[String: Any]]
            let delivered = try #require(joinerInbox?.first?["payload"] as? String)
            #expect(joinerInbox?.count == 1)
            // The joiner can join from what the relay delivered.
            let joined = try TestGroup(welcome: [UInt8](try #require(Base64URL(text: delivered)).data), keyPackage: joinerKeys)
            #expect(joined.epoch == 1)
            #expect(joined.groupID == group.groupID)
        }
    }

    @Test("a stale commit is a 409 problem with the current epoch, and stores nothing")
    func stale() async throws {
        var mls = try TestGroup()
        let first = try mls.commit().commit
        let second = try mls.commit().commit
        var behind = try TestGroup(seed: 9)                             // same group ID, other keys
        _ = try behind.commit()
        let staleOne = try behind.pendingCommit().message.encoded      // another epoch-1 commit
        var ahead = mls
        while ahead.epoch < 7 { _ = try ahead.commit() }
        let future = try ahead.pendingCommit().message.encoded          // framed for epoch 7
        let group = mls
        try await withRelay { relay in
            let committer = try await relay.signedIn()
            let member = try await relay.signedIn()
            func post(_ bytes: [UInt8], epoch: Int) async throws -> Reply {
                try await relay.post("/v1/groups/\(group.pathID)/commits", [
                    "message_id": UUID().uuidString, "epoch": epoch, "commit": b64(bytes), "recipients": [member.id],
                ], token: committer.token)
            }
            #expect(try await post(first, epoch: 0).status == .ok)
            #expect(try await post(second, epoch: 1).status == .ok)
            let stale = try await post(staleOne, epoch: 1)
            stale.expectProblem(.conflict, "epoch-conflict")
            #expect(stale.json["current_epoch"] as? Int == 2)
            let early = try await post(future, epoch: 7)
            early.expectProblem(.conflict, "epoch-conflict")
            #expect(early.json["current_epoch"] as? Int == 2)
            #expect((try await relay.get("/v1/messages", token: member.token).json["messages"] as? [[String: Any]])?.count == 2)
        }
    }

    @Test("bad commits are 4xx problems and store nothing")
    func badCommits() async throws {
        var mls = try TestGroup()
        let real = try mls.pendingCommit().message.encoded
        let group = mls
        try await withRelay { relay in
            let committer = try await relay.signedIn()
            let member = try await relay.signedIn()
            func commit(_ group: String, _ body: [String: Any]) async throws -> Reply {
                try await relay.post("/v1/groups/\(group)/commits", body, token: committer.token)
            }
            let valid: [String: Any] = ["message_id": UUID().uuidString, "epoch": 0, "commit": b64(real), "recipients": [member.id]]
            try await commit("not=base64", valid).expectProblem(.badRequest, "malformed-request")
            try await commit(b64(Data(count: 300)), valid).expectProblem(.badRequest, "malformed-request")
            var body = valid; body["epoch"] = -1
            try await commit(group.pathID, body).expectProblem(.badRequest, "malformed-request")
            body = valid; body["epoch"] = UInt64.max
            try await commit(group.pathID, body).expectProblem(.badRequest, "malformed-request")
            body = valid; body["epoch"] = "zero"
            try await commit(group.pathID, body).expectProblem(.badRequest, "malformed-request")
            body = valid; body["commit"] = ""
            try await commit(group.pathID, body).expectProblem(.badRequest, "malformed-request")
            body = valid; body["welcome"] = ["message": "AAAA", "recipients": [] as [String]]
            try await commit(group.pathID, body).expectProblem(.badRequest, "malformed-request")
            body = valid; body["recipients"] = [UUID().uuidString]
            try await commit(group.pathID, body).expectProblem(.unprocessableContent, "unknown-device")
            try await relay.post("/v1/groups/\(group.pathID)/commits", valid).expectProblem(.unauthorized, "unauthorized")
            #expect(try await relay.get("/v1/groups/\(group.pathID)/epoch", token: member.token).json["epoch"] as? Int == 0)
            #expect((try await relay.get("/v1/messages", token: member.token).json["messages"] as? [[String: Any]])?.isEmpty == true)
        }
    }
}
