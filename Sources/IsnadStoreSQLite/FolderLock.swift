import Foundation
import IsnadStore
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive advisory lock (`flock`) on a lock file, held while a relay store is open: the
/// in-memory duplicate check (``SubmissionIndex``) sees only what its own process stores, so a
/// SQLite data folder is served by one relay process at a time. The kernel releases the lock when
/// the process ends, however it ends (`kill -9` included).
final class FolderLock: Sendable {
    private let descriptor: Int32
    private let held = Mutex(true)

    /// Takes the lock, waiting up to `waiting` seconds for another process to let it go (a
    /// restart overlapping the previous process's graceful shutdown).
    /// - Throws: ``StoreError`` `.unavailable` if the file cannot be opened or the lock stays taken.
    init(path: String, waiting: TimeInterval) throws {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw StoreError(.unavailable, "The data folder's lock file could not be opened.")
        }
        let deadline = Date(timeIntervalSinceNow: waiting)
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let reason = errno
            guard reason == EWOULDBLOCK || reason == EINTR, Date() < deadline else {
                close(descriptor)
                throw StoreError(.unavailable, reason == EWOULDBLOCK
                    ? "Another relay process is using this data folder; stop it, or give this one another data folder."
                    : "The data folder could not be locked.")
            }
            usleep(20_000)
        }
        self.descriptor = descriptor
    }

    /// Lets the lock go; later calls do nothing.
    func release() {
        guard held.withLock({ held in defer { held = false }; return held }) else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    deinit { release() }
}
