import Foundation

/// Per-group sequencing of handshake messages (RFC 9420 §14: the delivery service orders
/// commits so that members agree on one history).
///
/// A group the relay has never seen is at epoch 0.
public protocol GroupStore: Sendable {
    /// The relay's current epoch for a group (0 if unknown).
    func epoch(of group: GroupID) async throws -> UInt64

    /// Atomically advances a group from `expected` to `expected + 1` and stores the submission
    /// (the commit and any Welcome for their recipients) in the same transaction.
    ///
    /// A retry with the same message ID and the same content returns the original outcome and
    /// stores nothing new.
    /// - Returns: ``EpochAdvance/advanced(epoch:isReplay:)`` or ``EpochAdvance/conflict(currentEpoch:)``.
    /// - Throws: ``StoreError/Code/unknownDevice`` if a recipient does not exist;
    ///   ``StoreError/Code/messageIDReused`` if the message ID was used for different content.
    func advanceEpoch(of group: GroupID, expected: UInt64, delivering submission: Submission?, now: Date) async throws -> EpochAdvance
}

extension GroupStore {
    /// Advances a group's epoch without storing any message.
    public func advanceEpoch(of group: GroupID, expected: UInt64, now: Date) async throws -> EpochAdvance {
        try await advanceEpoch(of: group, expected: expected, delivering: nil, now: now)
    }
}
