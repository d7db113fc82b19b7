import Foundation
import IsnadStore
import IsnadWire

/// The evidence files that accepted reports name, by SHA-256, held in memory: an evidence upload
/// asks for its file's item on every piece (``EvidenceRoutes``), and finding it by parsing every
/// accepted report each time made each piece cost as much as the whole store.
///
/// Filled by one scan of the accepted reports at the first lookup, then by the intake as it
/// accepts each report. A file not found starts another scan, which reads the accepted reports
/// and parses those not yet indexed (accepted by another observatory process on the same
/// PostgreSQL database), at most once per `rescanInterval`, so requests naming unknown files
/// cannot make every request a scan. A lookup that misses while a scan runs waits for that scan
/// (uploads resuming together after a restart all wait for the first one).
public actor EvidenceIndex {
    private let store: any ObservatoryStore
    private let rescanInterval: Duration
    private var items: [Data: EvidenceItem] = [:]
    private var indexed: Set<SubmissionID> = []
    private var lastScan: ContinuousClock.Instant?
    private var scan: Task<Void, any Error>?

    /// An empty index of `store`'s accepted reports.
    public init(store: any ObservatoryStore, rescanInterval: Duration = .seconds(1)) {
        self.store = store
        self.rescanInterval = rescanInterval
    }

    /// The evidence item named by an accepted report, or nil if none names `sha256`.
    public func item(_ sha256: Data) async throws -> EvidenceItem? {
        if let item = items[sha256] { return item }
        // A scan under way (the first after a start, say) may index it: wait for that one.
        if let scan {
            try await scan.value
            return items[sha256]
        }
        let now = ContinuousClock.now
        if let lastScan, now - lastScan < rescanInterval { return nil }
        lastScan = now
        let task = Task { try await self.scanAccepted() }
        scan = task
        defer { scan = nil }
        try await task.value
        return items[sha256]
    }

    /// Reads the accepted reports and indexes those not indexed yet.
    private func scanAccepted() async throws {
        for stored in try await store.acceptedReports() where !indexed.contains(stored.submissionID) {
            // Every accepted report decoded at intake; one that no longer does names nothing.
            guard let report = try? ReviewDesk.report(of: stored) else { continue }
            add(report, of: stored.submissionID)
        }
    }

    /// Records the evidence a report just accepted names.
    public func add(_ report: Report, of submission: SubmissionID) {
        guard indexed.insert(submission).inserted else { return }
        for item in report.evidence where items[Data(item.sha256)] == nil {
            items[Data(item.sha256)] = item
        }
    }

    /// How many accepted reports have been indexed (for tests).
    var reportCount: Int { indexed.count }
}
