import Foundation

/// One decision of the observatory's staff, as recorded: never rewritten. A correction is a new
/// decision on the same subject; the latest one of the same ``Action/aspect`` wins.
public struct ReviewDecision: Sendable, Equatable {
    /// What the staff member decided.
    public enum Action: String, Sendable, CaseIterable {
        /// "Being reviewed by": the staff member takes the report.
        case claim
        /// The report is verified: it counts in tallies.
        case verify
        /// The report is rejected: it does not count.
        case reject
        /// The report's evidence files were examined and support it.
        case evidenceSeen = "evidence-seen"
        /// Two victim records are the same person (merge).
        case same
        /// Two victim records are different people (split).
        case different

        /// Decisions of the same aspect on the same subject replace each other (latest wins).
        public var aspect: String {
            switch self {
            case .claim: "claim"
            case .verify, .reject: "verdict"
            case .evidenceSeen: "evidence"
            case .same, .different: "victims"
            }
        }

        /// Whether the subject is a report (a submission ID) rather than a pair of victim records.
        public var isAboutReport: Bool { aspect != "victims" }
    }

    /// The store's number for the decision, increasing in recording order; 0 before it is recorded.
    public var sequence: UInt64
    public var action: Action
    /// A submission ID (lower-case UUID) for report decisions; `first|second` victim record IDs for victim decisions.
    public var subject: String
    /// The staff account's name.
    public var staff: String
    /// The staff member's note (may be empty).
    public var note: String
    /// When it was decided (stored to the millisecond).
    public var decidedAt: Date

    public init(sequence: UInt64 = 0, action: Action, subject: String, staff: String, note: String, decidedAt: Date) {
        self.sequence = sequence
        self.action = action
        self.subject = subject
        self.staff = staff
        self.note = note
        self.decidedAt = decidedAt
    }

    /// Whether `other` says something else about the same subject and aspect at the same time.
    func conflicts(with other: ReviewDecision) -> Bool {
        other.subject == subject && other.action.aspect == action.aspect && StoredTime.milliseconds(other.decidedAt) == StoredTime.milliseconds(decidedAt)
            && (other.action != action || other.staff != staff || other.note != note)
    }

    /// Whether `other` is this very decision again (a retry).
    func repeats(_ other: ReviewDecision) -> Bool {
        other.subject == subject && other.action == action && other.staff == staff && other.note == note
            && StoredTime.milliseconds(other.decidedAt) == StoredTime.milliseconds(decidedAt)
    }
}

/// A named staff account of the observatory; the passphrase is kept only as a scrypt hash.
public struct StaffAccount: Sendable, Equatable {
    public var name: String
    /// The encoded passphrase hash (parameters, salt and derived key; IsnadObservatory's `StaffPassphrase`).
    public var passphraseHash: Data
    public var createdAt: Date

    public init(name: String, passphraseHash: Data, createdAt: Date) {
        self.name = name
        self.passphraseHash = passphraseHash
        self.createdAt = createdAt
    }
}

/// A tally snapshot as stored: its canonical bytes and hash, and its log index once logged.
public struct StoredSnapshot: Sendable, Equatable {
    public var sequence: UInt64
    /// The snapshot's hash (32 bytes), which the log entry commits to.
    public var hash: Data
    /// The snapshot's canonical encoding.
    public var encoded: Data
    public var publishedAt: Date
    /// The log index of its entry, `nil` until the sequencer appended it.
    public var logIndex: UInt64?

    public init(sequence: UInt64, hash: Data, encoded: Data, publishedAt: Date, logIndex: UInt64? = nil) {
        self.sequence = sequence
        self.hash = hash
        self.encoded = encoded
        self.publishedAt = publishedAt
        self.logIndex = logIndex
    }
}

/// Checks shared by every engine before a decision is recorded.
public enum ReviewRules {
    /// Throws the conflict error unless `decision` agrees with the `existing` decisions on its subject;
    /// returns the recorded decision when `decision` repeats it (a harmless retry).
    public static func check(_ decision: ReviewDecision, against existing: [ReviewDecision]) throws -> ReviewDecision? {
        if let same = existing.first(where: { decision.repeats($0) }) { return same }
        if existing.contains(where: { decision.conflicts(with: $0) }) {
            throw StoreError(.conflict, "Another decision on the same subject was recorded at the same time; nothing was changed.")
        }
        return nil
    }

    /// Throws unless the decision names a subject and a staff member.
    public static func validate(_ decision: ReviewDecision) throws {
        guard !decision.staff.isEmpty, !decision.subject.isEmpty else {
            throw StoreError(.invalidArgument, "A review decision needs a subject and a staff member.")
        }
    }

    /// No staff account has the decision's name.
    public static let unknownStaff = StoreError(.notFound, "There is no staff account of that name.")
    /// The decision's report is not an accepted report.
    public static let unknownReport = StoreError(.notFound, "There is no accepted report with that submission ID.")
    /// A staff account of the name exists.
    public static let staffExists = StoreError(.conflict, "A staff account of that name exists already.")
    /// The snapshot's sequence is not the next one.
    public static let snapshotOutOfSequence = StoreError(.conflict, "Another snapshot was published since this one was built; build it again.")
}
