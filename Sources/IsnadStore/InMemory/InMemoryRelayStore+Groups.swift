import Foundation

extension InMemoryRelayStore {
    public func epoch(of group: GroupID) async throws -> UInt64 {
        state.withLock { $0.epochs[group] ?? 0 }
    }

    public func advanceEpoch(of group: GroupID, expected: UInt64, delivering submission: Submission?, now: Date) async throws -> EpochAdvance {
        try state.withLock { state in
            guard expected < UInt64(Int64.max) else {
                throw StoreError(.invalidArgument, "An epoch must be below 2^63 - 1.")
            }
            let current = state.epochs[group] ?? 0
            if let submission {
                let digest = submission.digest(context: group.commitContext(epoch: expected))
                if let stored = state.submissions[submission.id] {
                    guard stored.digest == digest, let epoch = stored.epoch else {
                        throw StoreError(.messageIDReused, "This message ID was already used for a different submission.")
                    }
                    return .advanced(epoch: epoch, isReplay: true)
                }
                guard current == expected else { return .conflict(currentEpoch: current) }
                let receipt = try state.store(submission, digest: digest, epoch: expected + 1, now: now)
                state.epochs[group] = expected + 1
                return .advanced(epoch: expected + 1, isReplay: false, stored: receipt)
            }
            guard current == expected else { return .conflict(currentEpoch: current) }
            state.epochs[group] = expected + 1
            return .advanced(epoch: expected + 1, isReplay: false)
        }
    }
}
