import IsnadTransparency

/// A receipt whose signature, checkpoint and inclusion proof verified (see ``ReceiptVerifier``).
public struct VerifiedReceipt: Sendable {
    /// The receipt.
    public let receipt: Receipt
    /// Its checkpoint, parsed and verified; compare it with the log's current public checkpoint.
    public let checkpoint: Checkpoint
}
