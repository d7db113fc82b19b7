import Foundation

extension RelayStoreContract {
    static let groupChecks: [Check] = [
        Check("a group's epoch advances only from the expected epoch") { store in
            let group = GroupID(randomBytes(16))
            try expect(try await store.epoch(of: group) == 0, "an unknown group is at epoch 0")
            try expect(try await store.advanceEpoch(of: group, expected: 0, now: now) == .advanced(epoch: 1, isReplay: false), "0 → 1")
            try expect(try await store.advanceEpoch(of: group, expected: 0, now: now) == .conflict(currentEpoch: 1), "stale 0 conflicts at 1")
            try expect(try await store.advanceEpoch(of: group, expected: 5, now: now) == .conflict(currentEpoch: 1), "future 5 conflicts at 1")
            try expect(try await store.advanceEpoch(of: group, expected: 1, now: now) == .advanced(epoch: 2, isReplay: false), "1 → 2")
            try expect(try await store.epoch(of: group) == 2, "the group is at 2")
            try expect(try await store.epoch(of: GroupID(randomBytes(16))) == 0, "groups are independent")
        },
        Check("a commit is stored with the epoch advance, once") { store in
            // An instant between milliseconds: the receipt says what the store keeps.
            let now = RelayStoreContract.now + 0.000_25
            let member = try await registerDevice(store)
            let joiner = try await registerDevice(store)
            let group = GroupID(randomBytes(32))
            let submission = Submission(id: .random(), deliveries: [
                .init(recipients: [member.id], payload: randomBytes(50)),
                .init(recipients: [joiner.id], payload: randomBytes(60)),
            ], expiresAt: now + 86400)
            let stored = SubmissionReceipt(storing: submission, at: now, copies: [
                .init(device: member.id, cursor: 1, delivery: 0), .init(device: joiner.id, cursor: 1, delivery: 1),
            ])
            var outcome = try await store.advanceEpoch(of: group, expected: 0, delivering: submission, now: now)
            try expect(outcome == .advanced(epoch: 1, isReplay: false, stored: stored), "the commit is accepted; its receipt names its copies")
            outcome = try await store.advanceEpoch(of: group, expected: 0, delivering: submission, now: now)
            try expect(outcome == .advanced(epoch: 1, isReplay: true), "a retry replays the original outcome")
            try expect(try await store.epoch(of: group) == 1, "a retry does not advance again")
            let memberInbox = try await store.messages(for: member.id, after: 0, limit: 10, now: now)
            let joinerInbox = try await store.messages(for: joiner.id, after: 0, limit: 10, now: now)
            try expect(memberInbox.map(\.payload) == [submission.deliveries[0].payload], "the commit reached the member once")
            try expect(joinerInbox.map(\.payload) == [submission.deliveries[1].payload], "the Welcome reached the joiner once")
            // What a push builds from the receipt is what a fetch reads.
            try expect(memberInbox + joinerInbox == stored.copies.map { MailboxMessage(copy: $0, of: submission, receipt: stored) },
                       "the messages built from the copies are the stored ones")

            let late = Submission(id: .random(), deliveries: [.init(recipients: [member.id], payload: randomBytes(5))], expiresAt: now + 86400)
            outcome = try await store.advanceEpoch(of: group, expected: 0, delivering: late, now: now)
            try expect(outcome == .conflict(currentEpoch: 1), "a stale commit conflicts")
            try expect(try await store.messages(for: member.id, after: 0, limit: 10, now: now).count == 1, "a stale commit stores nothing")

            var reused = submission
            reused.deliveries[0].payload = randomBytes(50)
            try await expectStoreError(.messageIDReused, "a message ID reused for another commit") {
                try await store.advanceEpoch(of: group, expected: 1, delivering: reused, now: now)
            }
            let ghost = Submission(id: .random(), deliveries: [.init(recipients: [member.id, .random()], payload: randomBytes(5))], expiresAt: now + 86400)
            try await expectStoreError(.unknownDevice, "a commit for an unknown device") {
                try await store.advanceEpoch(of: group, expected: 1, delivering: ghost, now: now)
            }
            try expect(try await store.epoch(of: group) == 1, "a failed commit does not advance the epoch")
            try expect(try await store.messages(for: member.id, after: 0, limit: 10, now: now).count == 1, "a failed commit stores nothing")
        },
        Check("a group's first commit may reach only new members, through their Welcome") { store in
            let joiner = try await registerDevice(store)
            let group = GroupID(randomBytes(8))
            let submission = Submission(id: .random(), deliveries: [
                .init(recipients: [], payload: randomBytes(10)),
                .init(recipients: [joiner.id], payload: randomBytes(20)),
            ], expiresAt: now + 60)
            let outcome = try await store.advanceEpoch(of: group, expected: 0, delivering: submission, now: now)
            try expect(outcome == .advanced(epoch: 1, isReplay: false, stored: SubmissionReceipt(storing: submission, at: now, copies: [
                .init(device: joiner.id, cursor: 1, delivery: 1),
            ])), "accepted")
            let inbox = try await store.messages(for: joiner.id, after: 0, limit: 10, now: now)
            try expect(inbox.map(\.payload) == [submission.deliveries[1].payload], "only the Welcome is stored")
        },
        Check("of concurrent commits for one epoch exactly one wins") { store in
            let group = GroupID(randomBytes(16))
            let outcomes = try await withThrowingTaskGroup(of: EpochAdvance.self) { tasks in
                for _ in 0..<10 {
                    tasks.addTask { try await store.advanceEpoch(of: group, expected: 0, now: now) }
                }
                return try await tasks.reduce(into: []) { $0.append($1) }
            }
            try expect(outcomes.filter { $0 == .advanced(epoch: 1, isReplay: false) }.count == 1, "one commit wins")
            try expect(outcomes.filter { $0 == .conflict(currentEpoch: 1) }.count == 9, "the others see epoch 1")
        },
    ]
}
