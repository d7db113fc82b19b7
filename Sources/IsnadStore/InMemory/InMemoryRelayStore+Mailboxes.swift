import Foundation

extension InMemoryRelayStore {
    public func enqueue(_ submission: Submission, now: Date) async throws -> SubmissionReceipt {
        try state.withLock { state in
            try state.store(submission, digest: submission.digest(), epoch: nil, now: now)
        }
    }

    public func messages(for device: DeviceID, after cursor: Int64, limit: Int, now: Date) async throws -> [MailboxMessage] {
        state.withLock { state in
            let messages = state.mailboxes[device]?.messages ?? []
            return Array(messages.lazy.filter { $0.cursor > cursor && $0.expiresAt > now }.prefix(max(0, limit)))
        }
    }

    public func acknowledge(_ cursors: [Int64], for device: DeviceID) async throws -> Int {
        state.withLock { state in
            guard var mailbox = state.mailboxes[device] else { return 0 }
            let acknowledged = Set(cursors)
            let before = mailbox.messages.count
            mailbox.messages.removeAll { acknowledged.contains($0.cursor) }
            state.mailboxes[device] = mailbox
            return before - mailbox.messages.count
        }
    }

    public func removeExpired(now: Date) async throws -> ExpiryReport {
        state.withLock { state in
            var report = ExpiryReport()
            for (device, var mailbox) in state.mailboxes {
                let before = mailbox.messages.count
                mailbox.messages.removeAll { $0.expiresAt <= now }
                report.messages += before - mailbox.messages.count
                state.mailboxes[device] = mailbox
            }
            let submissions = state.submissions.count
            state.submissions = state.submissions.filter { $0.value.expiresAt > now }
            report.submissions = submissions - state.submissions.count
            let credentials = state.challenges.count + state.tokens.count
            state.challenges = state.challenges.filter { $0.value.expiresAt > now }
            state.tokens = state.tokens.filter { $0.value.expiresAt > now }
            report.credentials = credentials - state.challenges.count - state.tokens.count
            let attachments = state.attachments.count
            state.attachments = state.attachments.filter { $0.value.record.expiresAt > now }
            report.attachments = attachments - state.attachments.count
            return report
        }
    }
}
