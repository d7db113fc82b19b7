import Crypto
import IsnadWire

/// A frozen, citable publication of figures (docs/dedup.md, "Snapshots"). Its ``hash`` is the
/// entry appended to the observatory's transparency log; every figure lists the commitments of
/// the reports behind it, which are themselves log entries.
///
/// ```
/// snapshot hash = SHA-256("isnad tally snapshot v1" || canonical snapshot bytes)
/// ```
public struct TallySnapshot: Hashable, Sendable {
    /// The encoding version this build writes and reads.
    public static let currentVersion: UInt16 = 1
    /// The domain-separation label hashed in front of the canonical bytes.
    public static let label = Array("isnad tally snapshot v1".utf8)

    /// The encoding version, ``currentVersion``.
    public let version: UInt16
    /// The publication's number: 1 for the first, one more for each later one.
    public let sequence: UInt64
    /// When it was published, seconds since 1970-01-01 UTC (given by the caller, never read from a clock).
    public let publishedAt: Int64
    /// The hash of the previous snapshot, so publications form a chain; `nil` for the first.
    public let previousHash: [UInt8]?
    /// The figures, ordered by period, governorate key and outcome code.
    public let figures: [TallyFigure]

    /// Freezes figures into a snapshot; the figures are put in snapshot order.
    /// - Parameters:
    ///   - sequence: the publication's number.
    ///   - publishedAt: the publication time, seconds since the epoch.
    ///   - previous: the previous snapshot, whose hash this one carries.
    public init(figures: [TallyFigure], sequence: UInt64, publishedAt: Int64, previous: TallySnapshot? = nil) {
        version = Self.currentVersion
        self.sequence = sequence
        self.publishedAt = publishedAt
        previousHash = previous?.hash
        self.figures = figures.sorted(by: TallyFigure.order)
    }

    init(version: UInt16, sequence: UInt64, publishedAt: Int64, previousHash: [UInt8]?, figures: [TallyFigure]) {
        (self.version, self.sequence, self.publishedAt) = (version, sequence, publishedAt)
        (self.previousHash, self.figures) = (previousHash, figures)
    }

    /// The 32-byte log entry: SHA-256 over the label and the canonical bytes.
    public var hash: [UInt8] {
        var hasher = SHA256()
        hasher.update(data: Self.label)
        hasher.update(data: canonicalBytes)
        return Array(hasher.finalize())
    }

    /// The hash as 64 lowercase hex digits, for links and citations.
    public var hashHex: String { CommitmentText.hex(hash) }
}
