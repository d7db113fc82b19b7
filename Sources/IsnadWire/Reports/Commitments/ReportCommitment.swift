import Crypto
import IsnadTransparency

/// A salted commitment to an accepted signed report: the entry an observatory appends to its
/// transparency log (docs/reports.md, "Commitment"):
///
/// ```
/// commitment = SHA-256("isnad report commitment v1" || salt (32 random bytes) || SignedReport encoding)
/// log entry  = commitment (32 bytes);  Merkle leaf hash = SHA-256(0x00 || commitment)   RFC 9162 §2.1.1
/// ```
///
/// The observatory keeps the salt, so the log reveals nothing about a report, not even whether it
/// equals a guessed one, until the observatory publishes the ``CommitmentOpening``.
public struct ReportCommitment: Hashable, Sendable {
    /// The domain-separation label hashed in front of the salt.
    public static let label = Array("isnad report commitment v1".utf8)

    /// The 32 commitment bytes: the log entry.
    public let bytes: [UInt8]

    /// Wraps 32 bytes read from a log or a receipt.
    /// - Throws: ``WireError/Code/malformed`` unless there are exactly 32 bytes.
    public init(bytes: [UInt8]) throws(WireError) {
        guard bytes.count == 32 else {
            throw WireError.malformed("ReportCommitment", "a report commitment has 32 bytes, not \(bytes.count)")
        }
        self.bytes = bytes
    }

    init(salt: [UInt8], signedReportBytes: [UInt8]) {
        var hasher = SHA256()
        hasher.update(data: Self.label)
        hasher.update(data: salt)
        hasher.update(data: signedReportBytes)
        bytes = Array(hasher.finalize())
    }

    /// The RFC 9162 §2.1.1 Merkle leaf hash of this log entry.
    public var leafHash: [UInt8] { MerkleTreeHash.leafHash(bytes) }
}
