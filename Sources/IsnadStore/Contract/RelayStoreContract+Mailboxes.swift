import Foundation

extension RelayStoreContract {
    static func message(to recipients: [DeviceID], expiresAt: Date = now + 86400) -> Submission {
        Submission(id: .random(), deliveries: [.init(recipients: recipients, payload: randomBytes(40))], expiresAt: expiresAt)
    }

    static let mailboxChecks: [Check] = [
        Check("a message reaches every recipient once, and a retry stores nothing") { store in
            let devices = [try await registerDevice(store), try await registerDevice(store), try await registerDevice(store)]
            let ids = devices.map(\.id)
            let submission = message(to: ids + [ids[0]])
            let receipt = try await store.enqueue(submission, now: now)
            let copies = ids.sorted().map { SubmissionReceipt.Copy(device: $0, cursor: 1, delivery: 0) }
            try expect(receipt == SubmissionReceipt(messageID: submission.id, acceptedAt: now, recipientCount: 3, isReplay: false, copies: copies),
                       "the receipt counts distinct recipients and names each copy")
            let replay = try await store.enqueue(submission, now: now + 10)
            try expect(replay == SubmissionReceipt(messageID: submission.id, acceptedAt: now, recipientCount: 3, isReplay: true), "a retry returns the original receipt, with no copies")
            for device in devices {
                let inbox = try await store.messages(for: device.id, after: 0, limit: 10, now: now)
                try expect(inbox.count == 1, "one copy per recipient")
                try expect(inbox.first?.messageID == submission.id && inbox.first?.payload == submission.deliveries[0].payload, "the copy is intact")
                try expect(inbox.first?.receivedAt == now, "received at acceptance time")
                try expect(inbox == receipt.copies.filter { $0.device == device.id }.map { MailboxMessage(copy: $0, of: submission, receipt: receipt) },
                           "the message made from the receipt is the one stored")
            }
            var reused = submission
            reused.deliveries[0].payload = randomBytes(40)
            try await expectStoreError(.messageIDReused, "the same ID with another payload") {
                try await store.enqueue(reused, now: now)
            }
        },
        Check("a receipt names every copy's cursor, delivery by delivery, as fetched back") { store in
            let devices = [try await registerDevice(store), try await registerDevice(store), try await registerDevice(store)].map(\.id)
            _ = try await store.enqueue(message(to: [devices[0]]), now: now)
            // An expiry between two milliseconds: the stored copy keeps the millisecond before.
            let submission = Submission(id: .random(), deliveries: [
                .init(recipients: [devices[1], devices[0], devices[1]], payload: randomBytes(30)),
                .init(recipients: [devices[2], devices[0]], payload: randomBytes(50)),
            ], expiresAt: now + 3600.0005)
            let receipt = try await store.enqueue(submission, now: now)
            func copies(_ delivery: Int, _ cursors: [DeviceID: Int64]) -> [SubmissionReceipt.Copy] {
                cursors.keys.sorted().map { SubmissionReceipt.Copy(device: $0, cursor: cursors[$0] ?? 0, delivery: delivery) }
            }
            try expect(receipt.copies == copies(0, [devices[0]: 2, devices[1]: 1]) + copies(1, [devices[0]: 3, devices[2]: 1]),
                       "one copy per delivery and distinct recipient, in delivery order then device order, with its cursor")
            var fetched: [MailboxMessage] = []
            for device in devices { fetched += try await store.messages(for: device, after: 0, limit: 10, now: now).filter { $0.messageID == submission.id } }
            let made = receipt.copies.map { MailboxMessage(copy: $0, of: submission, receipt: receipt) }
            try expect(Set(made) == Set(fetched) && made.count == fetched.count, "the messages made from the receipt are the ones stored")

            // Submissions stored together (one transaction on the engines that batch) name theirs too.
            let submissions = (0..<12).map { _ in message(to: [devices[1], devices[2]]) }
            let receipts = try await withThrowingTaskGroup(of: (Submission, SubmissionReceipt).self) { group in
                for submission in submissions { group.addTask { (submission, try await store.enqueue(submission, now: now)) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            var stored: [DeviceID: Set<MailboxMessage>] = [:], inboxes: [DeviceID: Set<MailboxMessage>] = [:]
            for (submission, receipt) in receipts {
                for copy in receipt.copies { stored[copy.device, default: []].insert(MailboxMessage(copy: copy, of: submission, receipt: receipt)) }
            }
            for device in devices.dropFirst() { inboxes[device] = Set(try await store.messages(for: device, after: 1, limit: 100, now: now)) }
            try expect(stored.values.map(\.count) == [12, 12] && stored == inboxes, "every copy of submissions stored together, with the cursor it was given")
        },
        Check("a receipt names a copy a full mailbox dropped at once") { store in
            let device = try await registerDevice(store).id
            var submission = Submission(id: .random(), deliveries: [.init(recipients: [device], payload: randomBytes(10)),
                                                                    .init(recipients: [device], payload: randomBytes(20))], expiresAt: now + 60)
            submission.mailboxCapacity = 1
            let receipt = try await store.enqueue(submission, now: now)
            try expect(receipt.copies == [.init(device: device, cursor: 1, delivery: 0), .init(device: device, cursor: 2, delivery: 1)],
                       "both cursors handed out are named")
            let inbox = try await store.messages(for: device, after: 0, limit: 10, now: now)
            try expect(inbox == [MailboxMessage(copy: receipt.copies[1], of: submission, receipt: receipt)], "only the newest is kept")
        },
        Check("a full mailbox drops its oldest messages, and only its own") { store in
            let slow = try await registerDevice(store)
            let fast = try await registerDevice(store)
            var sent: [MessageID] = []
            for index in 0..<6 {
                var submission = message(to: index == 2 ? [slow.id, fast.id] : [slow.id])
                submission.mailboxCapacity = 3
                _ = try await store.enqueue(submission, now: now)
                sent.append(submission.id)
                if index == 2 {
                    let cursors = try await store.messages(for: fast.id, after: 0, limit: 10, now: now).map(\.cursor)
                    _ = try await store.acknowledge(cursors, for: fast.id)
                }
            }
            let kept = try await store.messages(for: slow.id, after: 0, limit: 10, now: now)
            try expect(kept.map(\.messageID) == Array(sent.suffix(3)), "the newest three stay, in order")
            try expect(kept.map(\.cursor) == [4, 5, 6], "cursors keep counting, so the device sees the gap")
            try expect(try await store.messages(for: fast.id, after: 0, limit: 10, now: now).isEmpty, "another mailbox is not touched")

            var unlimited = message(to: [fast.id])
            unlimited.mailboxCapacity = nil
            for _ in 0..<4 { unlimited.id = .random(); _ = try await store.enqueue(unlimited, now: now) }
            try expect(try await store.messages(for: fast.id, after: 0, limit: 10, now: now).count == 4, "no capacity, no limit")
        },
        Check("a message with an unknown recipient is stored nowhere") { store in
            let known = try await registerDevice(store)
            try await expectStoreError(.unknownDevice, "an unknown recipient") {
                try await store.enqueue(message(to: [known.id, .random()]), now: now)
            }
            try expect(try await store.messages(for: known.id, after: 0, limit: 10, now: now).isEmpty, "all or nothing")
        },
        Check("fetch pages after a cursor, ack deletes") { store in
            let device = try await registerDevice(store)
            let other = try await registerDevice(store)
            var sent: [MessageID] = []
            for _ in 0..<5 {
                let submission = message(to: [device.id])
                _ = try await store.enqueue(submission, now: now)
                sent.append(submission.id)
            }
            let first = try await store.messages(for: device.id, after: 0, limit: 2, now: now)
            try expect(first.map(\.messageID) == Array(sent[0..<2]), "the first page, in order")
            let second = try await store.messages(for: device.id, after: first[1].cursor, limit: 10, now: now)
            try expect(second.map(\.messageID) == Array(sent[2...]), "the rest after the cursor")
            try expect(zip(second, second.dropFirst()).allSatisfy { $0.cursor < $1.cursor } && first[1].cursor < second[0].cursor, "cursors increase")
            try expect(try await store.messages(for: device.id, after: second[2].cursor, limit: 10, now: now).isEmpty, "nothing after the last")

            try expect(try await store.acknowledge(first.map(\.cursor), for: other.id) == 0, "another device cannot ack them")
            try expect(try await store.acknowledge(first.map(\.cursor), for: device.id) == 2, "ack deletes two")
            try expect(try await store.acknowledge(first.map(\.cursor), for: device.id) == 0, "a repeated ack deletes nothing")
            let left = try await store.messages(for: device.id, after: 0, limit: 10, now: now)
            try expect(left.map(\.messageID) == Array(sent[2...]), "three left")

            let later = message(to: [device.id])
            _ = try await store.enqueue(later, now: now)
            let after = try await store.messages(for: device.id, after: second[2].cursor, limit: 10, now: now)
            try expect(after.map(\.messageID) == [later.id], "a new message comes after the old cursor")
        },
        Check("a cursor is never handed out again, even after the newest message is acknowledged, expired or dropped") { store in
            let device = try await registerDevice(store)
            /// Stores a message for `device` and returns the cursor it was given.
            func send(expiresAt: Date = now + 86400) async throws -> Int64 {
                let submission = message(to: [device.id], expiresAt: expiresAt)
                _ = try await store.enqueue(submission, now: now)
                let page = try await store.messages(for: device.id, after: 0, limit: 1000, now: now)
                guard let cursor = page.first(where: { $0.messageID == submission.id })?.cursor else {
                    throw ContractFailure(description: "a stored message is not in its mailbox")
                }
                return cursor
            }
            let first = try await send(), second = try await send()
            try expect(try await store.acknowledge([first, second], for: device.id) == 2, "both acknowledged, the mailbox is empty")
            let third = try await send()
            try expect(third > second, "after the newest is acknowledged, the next cursor is still higher")
            let short = try await send(expiresAt: now + 60)
            try expect(try await store.removeExpired(now: now + 61).messages == 1, "the newest message expires")
            let fourth = try await send()
            try expect(fourth > short, "after the newest expired, the next cursor is still higher")
            var full = message(to: [device.id])
            full.mailboxCapacity = 1
            _ = try await store.enqueue(full, now: now)
            let kept = try await store.messages(for: device.id, after: 0, limit: 10, now: now)
            try expect(kept.map(\.messageID) == [full.id] && kept[0].cursor > fourth, "a full mailbox drops its oldest, never the new one")
            try expect(try await store.acknowledge([kept[0].cursor], for: device.id) == 1, "and it can be acknowledged")
            try expect(try await send() > kept[0].cursor, "after all that, still higher")
        },
        Check("expired messages are not delivered and are swept") { store in
            let device = try await registerDevice(store)
            let short = message(to: [device.id], expiresAt: now + 60)
            let long = message(to: [device.id], expiresAt: now + 86400)
            _ = try await store.enqueue(short, now: now)
            _ = try await store.enqueue(long, now: now)
            try expect(try await store.messages(for: device.id, after: 0, limit: 10, now: now + 61).map(\.messageID) == [long.id], "an expired message is not returned")
            let report = try await store.removeExpired(now: now + 61)
            try expect(report.messages == 1 && report.submissions == 1, "the sweep removes the message and its idempotence record")
            try expect(try await store.messages(for: device.id, after: 0, limit: 10, now: now).map(\.messageID) == [long.id], "only the live message remains")
            let reused = Submission(id: short.id, deliveries: [.init(recipients: [device.id], payload: randomBytes(30))], expiresAt: now + 86400)
            try expect(try await store.enqueue(reused, now: now + 62).isReplay == false, "a swept message ID is free again: another submission under it is new")
            try expect(try await store.enqueue(reused, now: now + 63).isReplay, "and its own retry is recognised")
        },
        Check("concurrent messages to one device all land with distinct cursors") { store in
            let device = try await registerDevice(store)
            let receipts = try await withThrowingTaskGroup(of: SubmissionReceipt.self) { tasks in
                for _ in 0..<20 {
                    tasks.addTask { try await store.enqueue(message(to: [device.id]), now: now) }
                }
                return try await tasks.reduce(into: []) { $0.append($1) }
            }
            try expect(receipts.allSatisfy { !$0.isReplay }, "all new")
            let inbox = try await store.messages(for: device.id, after: 0, limit: 100, now: now)
            try expect(inbox.count == 20 && Set(inbox.map(\.cursor)).count == 20, "20 messages, 20 cursors")
            try expect(Set(inbox.map(\.messageID)) == Set(receipts.map(\.messageID)), "the ones accepted")
        },
        Check("among concurrent submissions, a refused one stores nothing and the others are all stored") { store in
            let device = try await registerDevice(store)
            let reused = message(to: [device.id])
            _ = try await store.enqueue(reused, now: now)
            var changed = reused
            changed.deliveries[0].payload = randomBytes(40)
            let clash = changed
            let outcomes = try await withThrowingTaskGroup(of: (Int, StoreError.Code?).self) { tasks in
                for index in 0..<30 {
                    tasks.addTask {
                        let submission = index == 7 ? message(to: [device.id, .random()]) : index == 19 ? clash : message(to: [device.id])
                        do {
                            _ = try await store.enqueue(submission, now: now)
                            return (index, nil)
                        } catch let error as StoreError {
                            return (index, error.code)
                        }
                    }
                }
                return try await tasks.reduce(into: [Int: StoreError.Code?]()) { $0[$1.0] = $1.1 }
            }
            try expect(outcomes[7] == .some(.unknownDevice) && outcomes[19] == .some(.messageIDReused), "the two bad ones are refused")
            try expect(outcomes.filter { $0.value == nil }.count == 28, "the 28 good ones are accepted")
            let inbox = try await store.messages(for: device.id, after: 0, limit: 100, now: now)
            try expect(inbox.count == 29, "the first message and the 28 good ones are stored, nothing of the bad ones")
            try expect(inbox.first(where: { $0.messageID == reused.id })?.payload == reused.deliveries[0].payload, "the reused ID keeps its first payload")
        },
        Check("concurrent retries of one submission store it once; the others get its receipt") { store in
            let devices = [try await registerDevice(store), try await registerDevice(store)]
            let retried = message(to: devices.map(\.id))
            let receipts = try await withThrowingTaskGroup(of: SubmissionReceipt.self) { tasks in
                for index in 0..<24 {
                    tasks.addTask { try await store.enqueue(index % 3 == 0 ? retried : message(to: [devices[index % 2].id]), now: now) }
                }
                return try await tasks.reduce(into: []) { $0.append($1) }
            }
            let copies = receipts.filter { $0.messageID == retried.id }
            try expect(copies.count == 8 && copies.filter { !$0.isReplay }.count == 1, "one of the eight is stored, seven are replays")
            try expect(copies.allSatisfy { $0.acceptedAt == now && $0.recipientCount == 2 }, "every retry gets the original receipt")
            for device in devices {
                let inbox = try await store.messages(for: device.id, after: 0, limit: 100, now: now)
                try expect(inbox.filter { $0.messageID == retried.id }.count == 1, "one copy per recipient")
                try expect(inbox.count == 9 && Set(inbox.map(\.cursor)).count == 9, "the retried message and its eight others, distinct cursors")
            }
        },
    ]
}
