import Foundation

/// Everything an observatory keeps: raw sealed submissions (stored first, before any processing),
/// their outcome, the accepted reports, and its transparency log (entries, tiles, checkpoints).
///
/// The store holds bytes only; the observatory (IsnadObservatory) decides what they mean.
/// Implemented by ``InMemoryObservatoryStore`` here and by the SQLite and PostgreSQL engines;
/// all pass ``ObservatoryStoreContract``.
///
/// ```
/// receive(sealed) ─▶ pending ─┬─▶ reject(reason)            (sealed bytes dropped)
///                             └─▶ accept(report) ─▶ appendLog(batch) ─▶ logged (index, receipt)
/// ```
public protocol ObservatoryStore: Sendable {
    /// Stores a raw sealed submission durably, before anything else happens to it.
    /// - Parameters:
    ///   - id: the submitter's random submission ID.
    ///   - sealed: the sealed report exactly as received.
    ///   - sealedDigest: SHA-256 of `sealed`, to recognise replays.
    ///   - now: the time of receipt.
    /// - Returns: whether it is new, a retry of the same ID and bytes, or a replay of bytes already received under another ID.
    /// - Throws: ``StoreError/Code/conflict`` if the ID was used for different bytes.
    func receive(_ id: SubmissionID, sealed: Data, sealedDigest: Data, now: Date) async throws -> ReceiveOutcome

    /// Submissions not processed yet, oldest first.
    func pendingSubmissions(limit: Int) async throws -> [PendingSubmission]

    /// Marks a pending submission rejected and drops its sealed bytes; does nothing to one already processed.
    func reject(_ id: SubmissionID, reason: String, message: String, now: Date) async throws

    /// Stores an accepted report and marks its submission accepted, atomically; drops the sealed bytes.
    ///
    /// If a report with the same digest (the same signed bytes) is already stored, the submission
    /// is rejected as `duplicate` instead.
    /// - Returns: ``AcceptOutcome/accepted`` or ``AcceptOutcome/duplicate``; ``AcceptOutcome/alreadyProcessed``
    ///   if the submission is no longer pending (a second processor got there first).
    func accept(_ report: AcceptedReport, now: Date) async throws -> AcceptOutcome

    /// The state of a submission, or `nil` if the ID is unknown.
    func status(_ id: SubmissionID) async throws -> SubmissionStatus?

    /// Accepted reports not yet in the log, in acceptance order.
    func unloggedReports(limit: Int) async throws -> [UnloggedReport]

    /// Appends a batch to the log atomically: its entries, the tiles it changed, its checkpoint
    /// and a receipt for each report.
    /// - Throws: ``StoreError/Code/conflict`` unless `batch.firstIndex` equals the current log size
    ///   (another process appended first).
    func appendLog(_ batch: LogBatch) async throws

    /// The number of entries in the log.
    func logSize() async throws -> UInt64

    /// The newest signed checkpoint (note bytes), or `nil` before the first.
    func latestCheckpoint() async throws -> StoredCheckpoint?

    /// The widest stored version of a tile (c2sp.org/tlog-tiles), or `nil`.
    func tile(level: Int, index: UInt64) async throws -> StoredTile?

    /// Log entries (the 32-byte commitments) from index `start`, at most `count`.
    func logEntries(from start: UInt64, count: Int) async throws -> [Data]

    /// Logged reports with their openings, by log index from `start`, at most `limit` (for audits and exports).
    func loggedReports(from start: UInt64, limit: Int) async throws -> [LoggedReport]

    // MARK: Review and publication

    /// Creates a staff account.
    /// - Throws: ``StoreError/Code/conflict`` if the name is taken.
    func addStaff(_ account: StaffAccount) async throws

    /// The staff account of this name, or `nil`.
    func staffAccount(named name: String) async throws -> StaffAccount?

    /// Every accepted report (logged or not), in acceptance order.
    func acceptedReports() async throws -> [AcceptedReport]

    /// Appends a review decision; nothing recorded is ever changed.
    /// - Returns: the decision as recorded, with its sequence (the earlier one if this repeats it exactly).
    /// - Throws: ``StoreError/Code/notFound`` for an unknown staff member or (for report decisions) an
    ///   unknown report; ``StoreError/Code/conflict`` if another decision of the same aspect on the same
    ///   subject carries the same time. Nothing changes then.
    func recordReviewDecision(_ decision: ReviewDecision) async throws -> ReviewDecision

    /// Every review decision, in recording order.
    func reviewDecisions() async throws -> [ReviewDecision]

    /// Stores a new tally snapshot, to be appended to the log by the next batch.
    /// - Throws: ``StoreError/Code/conflict`` unless its sequence is one more than the latest stored.
    func storeSnapshot(_ snapshot: StoredSnapshot) async throws

    /// Stored snapshots, oldest first, with their log index once logged.
    func snapshots() async throws -> [StoredSnapshot]

    // MARK: Evidence files

    /// The evidence blob of this plaintext SHA-256, received or partly uploaded, or `nil`.
    func evidence(_ sha256: Data) async throws -> StoredEvidence?

    /// Appends `bytes` to the partly uploaded blob of `sha256` (creating it at offset 0).
    /// - Returns: the bytes now held.
    /// - Throws: ``StoreError/Code/conflict`` if `offset` is not the bytes held or the blob was already
    ///   received; nothing changes then.
    func appendEvidence(_ sha256: Data, at offset: Int64, bytes: Data) async throws -> Int64

    /// The held bytes of the blob of `sha256`, or `nil`.
    func evidenceBlob(_ sha256: Data) async throws -> Data?

    /// Marks a whole, checked blob received; it is kept from then on and never appended to.
    /// - Throws: ``StoreError/Code/notFound`` if no blob is held.
    func markEvidenceReceived(_ sha256: Data, now: Date) async throws

    /// Drops a partly uploaded blob that failed its check.
    /// - Throws: ``StoreError/Code/conflict`` if the blob was received (a received blob is never dropped).
    func discardEvidence(_ sha256: Data) async throws
}
