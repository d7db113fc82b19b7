import Foundation
import IsnadStore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Makes the relay's committed transactions durable by syncing the write-ahead log on a thread
/// of its own, so that the SQLite writer does not wait for the disk between two transactions.
///
/// With `synchronous = FULL`, SQLite syncs the WAL inside every commit while holding the write
/// lock: the next batch of submissions could not start its transaction until the disk had
/// answered (about half of each commit's time on this project's test machines). The relay's
/// writer instead runs with `synchronous = NORMAL` (a commit writes its frames to the WAL without
/// syncing it; SQLite still syncs the WAL before every checkpoint and the database file after it,
/// so the database stays consistent after a power cut), and this syncer calls `fdatasync` on the
/// WAL file after the commits. The rules that keep a 2xx meaning "on the disk":
///
/// - a write transaction takes a number on the writer, before it commits (``announce()``), and
///   reports it once the commit is over (``finished(_:)``); the writer is serial, so when number
///   n is finished every smaller one is too;
/// - a sync makes durable every number finished before it started; one sync serves every commit
///   made before it, so commits that pile up during a sync share the next one;
/// - a writer's caller is answered once its number is durable (``whenDurable(_:_:)``,
///   ``waitUntilDurable(_:)``), and so is a reader, with the latest number announced when its read
///   ended: every commit its snapshot could see was announced before that.
///
/// So a 2xx still means the data is on the disk, as with FULL, and no reader is handed data that
/// a power cut could still take back. If a sync fails, the syncer refuses every later wait:
/// after a failed `fdatasync` the kernel may have dropped the unwritten pages, so nothing
/// written since can be promised (PostgreSQL stops for the same reason); the relay needs a restart.
final class WALSyncer: Sendable {
    typealias Completion = @Sendable (Result<Void, StoreError>) -> Void

    private struct State {
        /// Numbers handed out to write transactions.
        var announced: UInt64 = 0
        /// Every transaction up to this number has committed (or rolled back).
        var finished: UInt64 = 0
        /// Every transaction up to this number is synced.
        var durable: UInt64 = 0
        var syncing = false
        var failed = false
        var syncs = 0
        var waiting: [(target: UInt64, done: Completion)] = []

        /// Starts a sync if someone waits, none runs, and a finished commit is not yet durable.
        mutating func shouldStartSync() -> Bool {
            guard !syncing, !waiting.isEmpty, finished > durable else { return false }
            syncing = true
            return true
        }
    }

    /// The WAL file: opened for each sync, so a WAL that SQLite deleted and made again is still the one synced.
    let walPath: String
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "isnad.sqlite.wal-sync", qos: .userInitiated)

    init(databasePath: String) {
        walPath = databasePath + "-wal"
    }

    /// Numbers a write transaction; call on the writer, inside the transaction, before it commits.
    func announce() -> UInt64 {
        state.withLock { state in
            state.announced += 1
            return state.announced
        }
    }

    /// Reports that transaction `number` has committed (or rolled back).
    func finished(_ number: UInt64) {
        let start = state.withLock { state in
            state.finished = max(state.finished, number)
            return state.shouldStartSync()
        }
        if start { queue.async { self.syncWhileWaited() } }
    }

    /// The latest number announced: a read that ended before this call saw no later commit.
    var latestAnnounced: UInt64 { state.withLock { $0.announced } }

    /// How many syncs have finished (for tests).
    var syncCount: Int { state.withLock { $0.syncs } }

    /// The highest number known to be durable (for tests).
    var durableNumber: UInt64 { state.withLock { $0.durable } }

    /// Calls `done` (on the syncer's thread, or at once) when transaction `target` is durable.
    func whenDurable(_ target: UInt64, _ done: @escaping Completion) {
        enum Next { case answer(Result<Void, StoreError>), wait, startSync }
        let next = state.withLock { state -> Next in
            if state.failed { return .answer(.failure(Self.failure)) }
            if state.durable >= target { return .answer(.success(())) }
            state.waiting.append((target, done))
            return state.shouldStartSync() ? .startSync : .wait
        }
        switch next {
        case .answer(let result): done(result)
        case .wait: break
        case .startSync: queue.async { self.syncWhileWaited() }
        }
    }

    /// Returns when transaction `target` is durable.
    /// - Throws: ``StoreError`` if the WAL could not be synced.
    func waitUntilDurable(_ target: UInt64) async throws {
        if state.withLock({ !$0.failed && $0.durable >= target }) { return }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            whenDurable(target) { continuation.resume(with: $0.mapError { $0 as any Error }) }
        }
    }

    /// Syncs while someone waits for a finished commit: each round covers every commit finished before it started.
    private func syncWhileWaited() {
        while true {
            let target = state.withLock { state in state.finished }
            let synced = syncWAL()
            let (answered, goOn) = state.withLock { state -> ([(Completion, Result<Void, StoreError>)], Bool) in
                state.syncs += 1
                if synced { state.durable = max(state.durable, target) } else { state.failed = true }
                var answered: [(Completion, Result<Void, StoreError>)] = []
                var still: [(target: UInt64, done: Completion)] = []
                for waiter in state.waiting {
                    if state.failed {
                        answered.append((waiter.done, .failure(Self.failure)))
                    } else if waiter.target <= state.durable {
                        answered.append((waiter.done, .success(())))
                    } else {
                        still.append(waiter)
                    }
                }
                state.waiting = still
                state.syncing = false
                return (answered, state.shouldStartSync())
            }
            for (done, result) in answered { done(result) }
            guard goOn else { return }
        }
    }

    /// `fdatasync` on the WAL file; `false` if it could not be opened or synced.
    private func syncWAL() -> Bool {
        let descriptor = open(walPath, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        while fdatasync(descriptor) != 0 {
            guard errno == EINTR else { return false }
        }
        return true
    }

    static let failure = StoreError(.unavailable, "The relay could not sync its SQLite write-ahead log to disk; it must be restarted.")
}
