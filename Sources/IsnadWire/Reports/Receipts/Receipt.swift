import Crypto
import Foundation
import IsnadMLS
import IsnadTransparency

/// An observatory's signed acknowledgement that a report is in its transparency log
/// (docs/reports.md, "Receipt"):
///
/// ```
/// struct {
///     uint16 version;              // 1
///     opaque commitment<V>;        // 32-byte ReportCommitment: the log entry
///     opaque salt<V>;              // 32 bytes: opens the commitment for the reporter
///     uint64 log_index;            // the entry's index in the log
///     opaque checkpoint<V>;        // a C2SP signed note holding a tlog-checkpoint
///     opaque inclusion_proof<V>;   // RFC 9162 §4.12 InclusionProofDataV2 for log_index in that checkpoint
///     opaque signature<V>;         // 64-byte Ed25519 signature by the log key over
///                                  //   "isnad receipt v1" || every preceding byte
/// } Receipt;
/// ```
/// The label keeps receipt signatures apart from checkpoint signatures by the same log key: the
/// signed bytes contain 0x00 right after the label, which note text never contains.
public struct Receipt: Hashable, Sendable {
    /// The version this build writes and reads.
    public static let currentVersion: UInt16 = 1
    /// The signing label.
    public static let signingLabel = Array("isnad receipt v1".utf8)
    /// The largest encoding accepted.
    public static let maximumEncodedBytes = 256 << 10

    /// The committed log entry.
    public let commitment: ReportCommitment
    /// The commitment's salt, so the reporter can check the commitment is to their report.
    public let salt: [UInt8]
    /// The entry's index in the log.
    public let logIndex: UInt64
    /// The signed checkpoint the proof leads to.
    public let checkpoint: SignedNote
    /// The inclusion proof of ``logIndex`` in ``checkpoint``.
    public let inclusionProof: InclusionProof
    /// The log key's Ed25519 signature, 64 bytes.
    public let signature: [UInt8]

    /// Creates and signs a receipt for an accepted report (the observatory side).
    /// - Parameters:
    ///   - opening: the salt and signed report whose commitment was appended.
    ///   - logIndex: the index it was appended at.
    ///   - checkpoint: a checkpoint signed by the log key whose tree contains the entry.
    ///   - inclusionProof: the inclusion proof of `logIndex` in that checkpoint's tree.
    ///   - logKey: the observatory's Ed25519 log key.
    /// - Throws: ``WireError/Code/inclusionFailed`` or ``WireError/Code/invalidCheckpoint`` (misuse)
    ///   if the parts do not fit together; ``WireError/Code/cryptoFailure``.
    public static func sign(
        opening: CommitmentOpening, logIndex: UInt64, checkpoint: SignedNote, inclusionProof: InclusionProof,
        with logKey: Curve25519.Signing.PrivateKey
    ) throws(WireError) -> Receipt {
        let commitment = opening.commitment
        // A receipt that cannot verify is a bug in the caller; refuse to issue it.
        let parsed: Checkpoint
        do {
            parsed = try Checkpoint(parsing: checkpoint.text)
            guard inclusionProof.leafIndex == logIndex, inclusionProof.treeSize == parsed.treeSize else {
                throw WireError(
                    .inclusionFailed, kind: .misuse, "the proof's index and tree size must equal the log index and checkpoint size",
                    field: "Receipt.inclusion_proof")
            }
            try inclusionProof.verify(leafHash: commitment.leafHash, rootHash: parsed.rootHash)
        } catch let error as WireError {
            throw error
        } catch {
            throw WireError(
                .inclusionFailed, kind: .misuse, "the checkpoint and proof do not prove this commitment",
                field: "Receipt", specRule: "RFC 9162 §2.1.3.2", underlying: error as? TransparencyError)
        }
        let unsigned = Receipt(
            commitment: commitment, salt: opening.salt, logIndex: logIndex, checkpoint: checkpoint,
            inclusionProof: inclusionProof, signature: [])
        let signature: Data
        do {
            signature = try logKey.signature(for: signingLabel + unsigned.signedPart)
        } catch {
            throw WireError(.cryptoFailure, kind: .internalFailure, "the Ed25519 provider failed to sign", specRule: "RFC 8032 §5.1.6")
        }
        return Receipt(
            commitment: commitment, salt: opening.salt, logIndex: logIndex, checkpoint: checkpoint,
            inclusionProof: inclusionProof, signature: Array(signature))
    }

    init(
        commitment: ReportCommitment, salt: [UInt8], logIndex: UInt64, checkpoint: SignedNote,
        inclusionProof: InclusionProof, signature: [UInt8]
    ) {
        self.commitment = commitment
        self.salt = salt
        self.logIndex = logIndex
        self.checkpoint = checkpoint
        self.inclusionProof = inclusionProof
        self.signature = signature
    }

    /// Every field before the signature, encoded.
    var signedPart: [UInt8] {
        var encoder = TLSEncoder(capacity: 1024)
        encoder.write(Self.currentVersion)
        encoder.writeOpaque(commitment.bytes)
        encoder.writeOpaque(salt)
        encoder.write(logIndex)
        encoder.writeOpaque(Array(checkpoint.encoded.utf8))
        encoder.writeOpaque(inclusionProof.encoded())
        return encoder.bytes
    }

    /// The encoding.
    public var encoded: [UInt8] {
        var encoder = TLSEncoder(capacity: 1024)
        encoder.writeRaw(signedPart)
        encoder.writeOpaque(signature)
        return encoder.bytes
    }

    /// Decodes a receipt, strictly; does not verify it (see ``ReceiptVerifier``).
    /// - Throws: ``WireError/Code/tooLarge``, ``WireError/Code/unsupportedVersion`` or ``WireError/Code/malformed``
    ///   (including a checkpoint that is not a signed note and a proof that is not InclusionProofDataV2); never traps.
    public init(encoded bytes: [UInt8]) throws(WireError) {
        guard bytes.count <= Self.maximumEncodedBytes else {
            throw WireError(
                .tooLarge, "a receipt is at most \(Self.maximumEncodedBytes) bytes", field: "Receipt", specRule: "docs/reports.md §Limits")
        }
        let receipt = try WireCodec.decodeAll(bytes, what: "Receipt") { (decoder) throws(WireError) in
            let version = try WireCodec.run("Receipt.version") { try decoder.readUInt16() }
            guard version == Self.currentVersion else {
                throw WireError(
                    .unsupportedVersion, kind: .unsupported, "receipt version \(version) is not supported",
                    field: "Receipt.version", specRule: "docs/reports.md §Versions")
            }
            let commitment = try ReportCommitment(bytes: try WireCodec.readFixedOpaque(&decoder, field: "Receipt.commitment", count: 32))
            let salt = try WireCodec.readFixedOpaque(&decoder, field: "Receipt.salt", count: CommitmentOpening.saltByteCount)
            let logIndex = try WireCodec.run("Receipt.log_index") { try decoder.readUInt64() }
            let noteBytes = try WireCodec.run("Receipt.checkpoint") { try decoder.readOpaque() }
            let checkpoint: SignedNote
            do {
                checkpoint = try SignedNote(parsing: noteBytes)
            } catch {
                throw WireError.malformed("Receipt.checkpoint", "the checkpoint is not a signed note", underlying: error)
            }
            let proofBytes = try WireCodec.run("Receipt.inclusion_proof") { try decoder.readOpaque() }
            let proof: InclusionProof
            do {
                proof = try InclusionProof(decoding: proofBytes)
            } catch {
                throw WireError.malformed("Receipt.inclusion_proof", "the proof is not an InclusionProofDataV2", underlying: error)
            }
            let signature = try WireCodec.readFixedOpaque(&decoder, field: "Receipt.signature", count: 64)
            return Receipt(
                commitment: commitment, salt: salt, logIndex: logIndex, checkpoint: checkpoint, inclusionProof: proof,
                signature: signature)
        }
        // The signature covers the re-encoded fields, so only canonical bytes can verify; say so early.
        guard receipt.encoded == bytes else {
            throw WireError.malformed("Receipt", "the bytes are not the canonical encoding of the receipt they decode to")
        }
        self = receipt
    }
}
