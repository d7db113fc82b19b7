/// The outcome of a compare-and-set on a group's epoch.
public enum EpochAdvance: Hashable, Sendable {
    /// The epoch was `expected` and is now `epoch`; the submission, if any, is stored.
    /// `isReplay` is true when this is a retry of a submission already accepted. `stored` is the
    /// receipt of the submission this call stored, with its copies (nil without a submission,
    /// and for a replay).
    case advanced(epoch: UInt64, isReplay: Bool, stored: SubmissionReceipt? = nil)
    /// The group is at `currentEpoch`, not the expected one; nothing was stored.
    case conflict(currentEpoch: UInt64)
}
