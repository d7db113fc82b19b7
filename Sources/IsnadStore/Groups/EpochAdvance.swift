/// The outcome of a compare-and-set on a group's epoch.
public enum EpochAdvance: Hashable, Sendable {
    /// The epoch was `expected` and is now `epoch`; the submission, if any, is stored.
    /// `isReplay` is true when this is a retry of a submission already accepted. `copies` are
    /// the mailbox copies this call stored, as in ``SubmissionReceipt/copies`` (none for a replay).
    case advanced(epoch: UInt64, isReplay: Bool, copies: [SubmissionReceipt.Copy] = [])
    /// The group is at `currentEpoch`, not the expected one; nothing was stored.
    case conflict(currentEpoch: UInt64)
}
