import Foundation
import IsnadMLS
import Testing

/// The relay checks a commit's MLS framing against the request (RFC 9420 §6.2, §6.3): every
/// disagreement is a 400 problem that stores nothing.
@Suite("Commits: the MLS header is cross-checked")
struct CommitHeaderTests {
    static let wireFormats = [WireFormat.privateMessage, .publicMessage]

    /// Posts each `(bytes, stated epoch)` as a commit to `group`, expects `code` for each, and
    /// checks that the relay's epoch and the member's mailbox are untouched.
    static func expectRefused(_ code: String, group: String, _ attempts: [(commit: [UInt8], epoch: Int, welcome: [UInt8]?)],
                              sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await withRelay { relay in
            let committer = try await relay.signedIn()
            let member = try await relay.signedIn()
            for attempt in attempts {
                var body: [String: Any] = [
                    "message_id": UUID().uuidString, "epoch": attempt.epoch, "commit": b64(attempt.commit), "recipients": [member.id],
                ]
                if let welcome = attempt.welcome { body["welcome"] = ["message": b64(welcome), "recipients": [member.id]] }
                let reply = try await relay.post("/v1/groups/\(group)/commits", body, token: committer.token)
                reply.expectProblem(.badRequest, code, sourceLocation: sourceLocation)
            }
            #expect(try await relay.get("/v1/groups/\(group)/epoch", token: member.token).json["epoch"] as? Int == 0, sourceLocation: sourceLocation)
            let inbox = try await relay.get("/v1/messages", token: member.token).json["messages"] as? [[String: Any]]
            #expect(inbox?.isEmpty == true, sourceLocation: sourceLocation)
        }
    }

    @Test("a commit framed for another group", arguments: wireFormats)
    func otherGroup(_ wireFormat: WireFormat) async throws {
        var other = try TestGroup(id: Array("another group".utf8))
        let commit = try other.pendingCommit(as: wireFormat).message.encoded
        try await Self.expectRefused("mls-header-mismatch", group: try TestGroup().pathID, [(commit, 0, nil)])
    }

    @Test("a commit framed for another epoch than stated", arguments: wireFormats)
    func otherEpoch(_ wireFormat: WireFormat) async throws {
        var mls = try TestGroup()
        let atZero = try mls.pendingCommit(as: wireFormat).message.encoded
        _ = try mls.commit()
        let atOne = try mls.pendingCommit(as: wireFormat).message.encoded
        // A mismatch is a 400 even where the stated epoch is the relay's (0): the header wins nothing.
        try await Self.expectRefused("mls-header-mismatch", group: mls.pathID, [(atZero, 1, nil), (atOne, 0, nil), (atOne, 2, nil)])
    }

    @Test("handshake and application messages that are not commits")
    func notCommits() async throws {
        var mls = try TestGroup()
        let application = try mls.encrypt("hello")                     // PrivateMessage, content type application
        var proposer = try TestGroup()
        let proposal = try proposer.proposeUpdate()                    // PrivateMessage, content type proposal
        // A PublicMessage proposal, framed by hand: the relay reads, it does not verify.
        let publicProposal = MLSMessage.publicMessage(PublicMessage(
            content: FramedContent(groupID: mls.groupID, epoch: 0, sender: .member(LeafIndex(0)), authenticatedData: [],
                                   content: .proposal(.remove(LeafIndex(1)))),
            auth: FramedContentAuthData(signature: [UInt8](repeating: 7, count: 64), confirmationTag: nil),
            membershipTag: [UInt8](repeating: 9, count: 32))).encoded
        var joiner = try TestGroup(seed: 5)
        let keyPackage = try joiner.bundle("joiner").keyPackage
        let added = try mls.pendingCommit(adding: [keyPackage])
        let welcome = try MLSMessage.welcome(#require(added.welcome)).encoded
        try await Self.expectRefused("mls-header-mismatch", group: mls.pathID, [
            (application, 0, nil), (proposal, 0, nil), (publicProposal, 0, nil),
            (welcome, 0, nil), (MLSMessage.keyPackage(keyPackage).encoded, 0, nil),
        ])
    }

    @Test("a Welcome that is not a Welcome")
    func welcomeNotWelcome() async throws {
        var mls = try TestGroup()
        let commit = try mls.pendingCommit().message.encoded
        var joiner = try TestGroup(seed: 5)
        let keyPackage = MLSMessage.keyPackage(try joiner.bundle("joiner").keyPackage).encoded
        try await Self.expectRefused("mls-header-mismatch", group: mls.pathID, [(commit, 0, commit), (commit, 0, keyPackage)])
    }

    @Test("bytes that are no MLSMessage", arguments: wireFormats)
    func malformed(_ wireFormat: WireFormat) async throws {
        var mls = try TestGroup()
        let joiner = try mls.bundle("joiner")
        let pending = try mls.pendingCommit(adding: [joiner.keyPackage], as: wireFormat)
        let commit = pending.message.encoded
        let welcome = MLSMessage.welcome(try #require(pending.welcome)).encoded
        var otherVersion = commit
        otherVersion[1] = 2                                             // protocol version mls10 is 0x0001
        var unknownWireFormat = commit
        unknownWireFormat[3] = 0x7f
        try await Self.expectRefused("malformed-mls", group: mls.pathID, [
            (Array("AAAA".utf8), 0, nil), (Array(commit.dropLast()), 0, nil), (commit + [0], 0, nil),
            (otherVersion, 0, nil), (unknownWireFormat, 0, nil), ([0x00, 0x01], 0, nil),
            (commit, 0, Array(welcome.dropLast())), (commit, 0, welcome + [0]), (commit, 0, [0xff]),
        ])
    }

    @Test("after refusals, the real commit is accepted")
    func acceptedAfterRefusals() async throws {
        var mls = try TestGroup()
        let commit = try mls.pendingCommit(as: .publicMessage).message.encoded
        let group = mls.pathID
        try await withRelay { relay in
            let committer = try await relay.signedIn()
            let member = try await relay.signedIn()
            func post(_ bytes: [UInt8], epoch: Int) async throws -> Reply {
                try await relay.post("/v1/groups/\(group)/commits", [
                    "message_id": UUID().uuidString, "epoch": epoch, "commit": b64(bytes), "recipients": [member.id],
                ], token: committer.token)
            }
            try await post(commit, epoch: 1).expectProblem(.badRequest, "mls-header-mismatch")
            try await post(Array(commit.dropLast()), epoch: 0).expectProblem(.badRequest, "malformed-mls")
            let accepted = try await post(commit, epoch: 0)
            #expect(accepted.status == .ok)
            #expect(accepted.json["epoch"] as? Int == 1)
            let inbox = try await relay.get("/v1/messages", token: member.token).json["messages"] as? [[String: Any]]
            #expect(inbox?.map { $0["payload"] as? String } == [b64(commit)])
        }
    }
}
