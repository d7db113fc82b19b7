import IsnadTransparency

extension ReceiptVerifier {
    /// Checks that the log's current checkpoint extends the one in a verified receipt, so the
    /// report's entry is still in the log (RFC 9162 §2.1.4.2; what `isnad verify RECEIPT` does next).
    /// - Parameters:
    ///   - receipt: a receipt returned by ``verify(_:signedReport:)``.
    ///   - checkpoint: the signed note bytes the log serves now at `<prefix>/checkpoint`.
    ///   - proof: the consistency proof from the receipt's tree size to the current one.
    /// - Returns: the current checkpoint, verified.
    /// - Throws: ``WireError/Code/invalidCheckpoint`` if the current checkpoint does not verify;
    ///   ``WireError/Code/consistencyFailed`` if it does not extend the receipt's (a smaller tree,
    ///   a fork, a rewritten history), with the ``TransparencyError`` as the underlying cause.
    public func verifyConsistency(
        of receipt: VerifiedReceipt, withCheckpoint checkpoint: [UInt8], proof: [[UInt8]]
    ) throws(WireError) -> Checkpoint {
        let current: Checkpoint
        do {
            current = try Checkpoint.open(checkpoint, origin: origin, verifiers: checkpointVerifiers).checkpoint
        } catch {
            throw WireError(
                .invalidCheckpoint, "the current checkpoint is malformed, for another log, or not signed by a trusted log key (\(error.code))",
                field: "checkpoint", specRule: "c2sp.org/tlog-checkpoint", underlying: error)
        }
        let old = receipt.checkpoint
        do {
            try MerkleProofVerifier.verifyConsistency(
                firstSize: old.treeSize, secondSize: current.treeSize, firstRoot: old.rootHash, secondRoot: current.rootHash,
                proof: proof)
        } catch {
            throw WireError(
                .consistencyFailed, "the current checkpoint does not extend the receipt's (\(error.code)); keep both as evidence",
                field: "checkpoint", specRule: "RFC 9162 §2.1.4.2", underlying: error)
        }
        return current
    }
}
