import Foundation

/// A submitter's random ID for one sealed submission; it is also how they poll for the receipt.
public struct SubmissionID: Hashable, Sendable, CustomStringConvertible {
    /// The UUID behind this ID.
    public let uuid: UUID

    /// Wraps a UUID.
    public init(_ uuid: UUID) { self.uuid = uuid }

    /// Parses the text form (a UUID, any case); `nil` for anything else.
    public init?(_ string: String) {
        guard let uuid = UUID(canonical: string) else { return nil }
        self.uuid = uuid
    }

    /// A new random ID.
    public static func random() -> SubmissionID { SubmissionID(UUID()) }

    /// The lower-case UUID text form used on the wire.
    public var description: String { uuid.lowercasedText }
}

/// What ``ObservatoryStore/receive(_:sealed:sealedDigest:now:)`` did.
public enum ReceiveOutcome: Sendable, Equatable {
    /// A new submission, stored pending.
    case stored
    /// The same ID with the same bytes again: a retry; nothing changed.
    case retried
    /// The same bytes under another ID: a replay; nothing stored.
    case replay
}

/// What ``ObservatoryStore/accept(_:now:)`` did.
public enum AcceptOutcome: Sendable, Equatable {
    /// The report is stored and waits for the log.
    case accepted
    /// The same signed bytes were accepted before; the submission is rejected as a duplicate.
    case duplicate
    /// The submission was not pending any more.
    case alreadyProcessed
}

/// A stored sealed submission waiting to be processed.
public struct PendingSubmission: Sendable, Equatable {
    public var id: SubmissionID
    public var sealed: Data
    public var receivedAt: Date

    public init(id: SubmissionID, sealed: Data, receivedAt: Date) {
        self.id = id
        self.sealed = sealed
        self.receivedAt = receivedAt
    }
}

/// A report the observatory accepted, as it is stored.
public struct AcceptedReport: Sendable, Equatable {
    /// The submission it came in.
    public var submissionID: SubmissionID
    /// The signed report's encoding, exactly as received.
    public var signedReport: Data
    /// SHA-256 of ``signedReport``: duplicates are detected by it.
    public var digest: Data
    /// The commitment salt (32 bytes).
    public var salt: Data
    /// The commitment: the log entry.
    public var commitment: Data
    /// The reporter's pseudonymous public key.
    public var reporterKey: Data

    public init(submissionID: SubmissionID, signedReport: Data, digest: Data, salt: Data, commitment: Data, reporterKey: Data) {
        self.submissionID = submissionID
        self.signedReport = signedReport
        self.digest = digest
        self.salt = salt
        self.commitment = commitment
        self.reporterKey = reporterKey
    }
}

/// The state of one submission.
public enum SubmissionState: Sendable, Equatable {
    /// Stored, not processed yet.
    case pending
    /// Refused, with a stable reason code and a sentence.
    case rejected(reason: String, message: String)
    /// Accepted; waits for the next log batch.
    case accepted
    /// In the log at `index`, with the observatory's receipt.
    case logged(index: UInt64, receipt: Data)
}

/// A submission's state, and for an accepted one the report as stored now.
public struct SubmissionStatus: Sendable, Equatable {
    public var id: SubmissionID
    public var state: SubmissionState
    public var receivedAt: Date
    /// The stored report, once accepted.
    public var report: AcceptedReport?

    public init(id: SubmissionID, state: SubmissionState, receivedAt: Date, report: AcceptedReport?) {
        self.id = id
        self.state = state
        self.receivedAt = receivedAt
        self.report = report
    }
}

/// An accepted report waiting for the log, with what the receipt needs: the commitment and its opening.
public struct UnloggedReport: Sendable, Equatable {
    public var submissionID: SubmissionID
    public var commitment: Data
    public var salt: Data
    public var signedReport: Data

    public init(submissionID: SubmissionID, commitment: Data, salt: Data, signedReport: Data) {
        self.submissionID = submissionID
        self.commitment = commitment
        self.salt = salt
        self.signedReport = signedReport
    }
}

/// A tlog-tiles tile as stored: level, index, width and its hashes.
public struct StoredTile: Sendable, Equatable {
    public var level: Int
    public var index: UInt64
    public var width: Int
    public var data: Data

    public init(level: Int, index: UInt64, width: Int, data: Data) {
        self.level = level
        self.index = index
        self.width = width
        self.data = data
    }
}

/// A signed checkpoint as stored.
public struct StoredCheckpoint: Sendable, Equatable {
    public var treeSize: UInt64
    public var note: Data

    public init(treeSize: UInt64, note: Data) {
        self.treeSize = treeSize
        self.note = note
    }
}

/// One append to the log: everything it changes, written in one transaction.
public struct LogBatch: Sendable, Equatable {
    /// The log index of the first entry; must equal the log's size before the batch.
    public var firstIndex: UInt64
    /// The reports appended, in order, with their receipts.
    public var entries: [Entry]
    /// The tiles the batch created or widened (widest version of each).
    public var tiles: [StoredTile]
    /// The checkpoint of the log after the batch.
    public var checkpoint: StoredCheckpoint
    /// Published snapshots appended after the reports, in order (their entries are not commitments).
    public var snapshots: [SnapshotEntry]

    /// One appended snapshot: its sequence and the log entry that commits to its hash.
    public struct SnapshotEntry: Sendable, Equatable {
        public var sequence: UInt64
        public var entry: Data

        public init(sequence: UInt64, entry: Data) {
            self.sequence = sequence
            self.entry = entry
        }
    }

    /// One appended report.
    public struct Entry: Sendable, Equatable {
        public var submissionID: SubmissionID
        public var commitment: Data
        public var receipt: Data

        public init(submissionID: SubmissionID, commitment: Data, receipt: Data) {
            self.submissionID = submissionID
            self.commitment = commitment
            self.receipt = receipt
        }
    }

    public init(firstIndex: UInt64, entries: [Entry], snapshots: [SnapshotEntry] = [], tiles: [StoredTile], checkpoint: StoredCheckpoint) {
        self.firstIndex = firstIndex
        self.entries = entries
        self.snapshots = snapshots
        self.tiles = tiles
        self.checkpoint = checkpoint
    }
}

/// A logged report and what opens its commitment, as stored now.
public struct LoggedReport: Sendable, Equatable {
    public var index: UInt64
    public var submissionID: SubmissionID
    /// The log entry as appended.
    public var entry: Data
    public var signedReport: Data
    public var salt: Data

    public init(index: UInt64, submissionID: SubmissionID, entry: Data, signedReport: Data, salt: Data) {
        self.index = index
        self.submissionID = submissionID
        self.entry = entry
        self.signedReport = signedReport
        self.salt = salt
    }
}
