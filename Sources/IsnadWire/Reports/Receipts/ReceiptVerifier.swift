import Crypto
import IsnadTransparency

/// Checks receipts from one observatory (docs/reports.md, "Receipt"):
///
/// ```
/// 1. Ed25519 signature by the observatory key over "isnad receipt v1" || fields   → invalidReceiptSignature
/// 2. the checkpoint's signed note verifies with the trusted log keys, for the origin → invalidCheckpoint
/// 3. proof index = log_index, proof tree size = checkpoint size                      → inclusionFailed
/// 4. RFC 9162 §2.1.3.2: the proof leads from SHA-256(0x00 || commitment) to the root  → inclusionFailed
/// 5. (optional) salt + the reporter's signed report reproduce the commitment         → commitmentMismatch
/// ```
/// Checking that a later public checkpoint is consistent with the receipt's is the caller's next
/// step (``MerkleProofVerifier/verifyConsistency(firstSize:secondSize:firstRoot:secondRoot:proof:)``).
public struct ReceiptVerifier: Sendable {
    /// The key that signs receipts: the observatory's Ed25519 log key.
    public let observatoryKey: Curve25519.Signing.PublicKey
    /// The log's origin, the first line of its checkpoints.
    public let origin: String
    /// The note keys trusted for checkpoints: the log key and any witnesses.
    public let checkpointVerifiers: [NoteVerifier]

    /// Creates a verifier from separate keys.
    public init(observatoryKey: Curve25519.Signing.PublicKey, origin: String, checkpointVerifiers: [NoteVerifier]) {
        self.observatoryKey = observatoryKey
        self.origin = origin
        self.checkpointVerifiers = checkpointVerifiers
    }

    /// Creates a verifier from the log's verifier key, which signs both checkpoints and receipts.
    /// - Parameter logVerifier: the log key, whose name is the origin (c2sp.org/tlog-checkpoint).
    public init(logVerifier: NoteVerifier) {
        self.init(observatoryKey: logVerifier.publicKey, origin: logVerifier.name, checkpointVerifiers: [logVerifier])
    }

    /// Verifies a receipt, and optionally that it is for a given signed report.
    /// - Parameters:
    ///   - receipt: the receipt.
    ///   - signedReport: the reporter's own signed report, if they hold it.
    /// - Returns: the receipt with its verified checkpoint.
    /// - Throws: ``WireError/Code/invalidReceiptSignature``, ``WireError/Code/invalidCheckpoint``,
    ///   ``WireError/Code/inclusionFailed`` or ``WireError/Code/commitmentMismatch``, with the
    ///   ``TransparencyError`` as the underlying cause where there is one.
    public func verify(_ receipt: Receipt, signedReport: SignedReport? = nil) throws(WireError) -> VerifiedReceipt {
        guard observatoryKey.isValidSignature(receipt.signature, for: Receipt.signingLabel + receipt.signedPart) else {
            throw WireError(
                .invalidReceiptSignature, "the observatory's signature over the receipt does not verify",
                field: "Receipt.signature", specRule: "docs/reports.md §Receipt")
        }
        let checkpoint: Checkpoint
        do {
            checkpoint = try Checkpoint.open(Array(receipt.checkpoint.encoded.utf8), origin: origin, verifiers: checkpointVerifiers).checkpoint
        } catch {
            throw WireError(
                .invalidCheckpoint, "the receipt's checkpoint is malformed, for another log, or not signed by a trusted log key (\(error.code))",
                field: "Receipt.checkpoint", specRule: "c2sp.org/tlog-checkpoint", underlying: error)
        }
        let proof = receipt.inclusionProof
        guard proof.leafIndex == receipt.logIndex, proof.treeSize == checkpoint.treeSize else {
            throw WireError(
                .inclusionFailed, "the proof is for another index or tree size than the receipt and its checkpoint",
                field: "Receipt.inclusion_proof", specRule: "RFC 9162 §2.1.3.2")
        }
        do {
            try proof.verify(leafHash: receipt.commitment.leafHash, rootHash: checkpoint.rootHash)
        } catch {
            throw WireError(
                .inclusionFailed, "the inclusion proof does not lead to the checkpoint's root (\(error.code))",
                field: "Receipt.inclusion_proof", specRule: "RFC 9162 §2.1.3.2", underlying: error)
        }
        if let signedReport {
            try CommitmentOpening(salt: receipt.salt, signedReportBytes: signedReport.encoded).verify(receipt.commitment)
        }
        return VerifiedReceipt(receipt: receipt, checkpoint: checkpoint)
    }
}
