import Foundation
import IsnadStore
import IsnadTransparency
import Logging

/// An observatory: intake of sealed reports and the transparency log of their commitments.
///
/// ```swift
/// let observatory = Observatory(store: try SQLiteObservatoryStore(directory: folder),
///                               keys: try ObservatoryKeys.loadOrCreate(in: folder))
/// observatory.register(on: router)                    // /observatory/… and /log/…
/// app.addServices(ObservatoryService(observatory: observatory))
/// ```
public struct Observatory: Sendable {
    /// Where everything is kept.
    public let store: any ObservatoryStore
    /// The sealing and log keys.
    public let keys: ObservatoryKeys
    /// Counters and their registry.
    public let metrics: ObservatoryMetrics
    /// Receives and processes submissions.
    public let intake: Intake
    /// Appends accepted reports to the log.
    public let sequencer: LogSequencer
    /// Signed-in staff of the web pages.
    let staffSessions = StaffSessions()
    /// The published tally snapshots the dashboard and the exports serve: by default those in the
    /// observatory store that are in the log (tests may swap in another source).
    public var snapshots: any PublishedSnapshotSource
    /// The governorates the dashboard's and exports' `governorate` filter knows.
    public var gazetteer = Gazetteer()
    /// The public base URL (`https://observatory.example`) for the Atom feed's links; by default
    /// taken from the request's host.
    public var publicURL: String?
    /// Snapshot hashes, computed once per published snapshot for the dashboard and exports.
    public let snapshotHeaders = SnapshotHeaderCache()
    /// The clock; tests inject one.
    let now: @Sendable () -> Date
    let logger: Logger
    /// The largest request body: a sealed report plus room for nothing else.
    let maximumBodySize: Int

    /// Creates an observatory on a store with its keys.
    public init(
        store: any ObservatoryStore, keys: ObservatoryKeys, clockSkew: TimeInterval = Intake.defaultClockSkew,
        now: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "isnad.observatory")
    ) {
        let metrics = ObservatoryMetrics()
        self.store = store
        self.keys = keys
        self.metrics = metrics
        self.intake = Intake(store: store, keys: keys, metrics: metrics, clockSkew: clockSkew, logger: logger)
        self.sequencer = LogSequencer(store: store, keys: keys, metrics: metrics, logger: logger)
        self.now = now
        self.logger = logger
        self.maximumBodySize = 2 * (1 << 20) + 4096
        self.snapshots = StoredPublishedSnapshots(store: store)
    }

    /// One round of background work: pending submissions, then a log batch. Errors are logged, not thrown,
    /// so the next tick retries.
    public func tick() async {
        do {
            try await intake.processPending(now: now())
        } catch {
            logger.warning("processing pending submissions failed", metadata: ["error": "\(String(describing: error))"])
        }
        do {
            try await sequencer.appendBatch()
        } catch {
            logger.warning("appending to the log failed", metadata: ["error": "\(String(describing: error))"])
        }
    }
}
