import Foundation

/// Syncs a file whose pages were just written in bulk (a checkpoint pass's copy of the log into
/// the database file) without making a commit wait for all of them.
///
/// A commit's `fdatasync` of the log ends with a flush of the disk's write cache, and a flush
/// waits for every write the disk has been given before it: on a virtual disk, a flush is the
/// host's sync of everything the guest wrote. So when the checkpointer hands the disk a whole
/// pass at once (a plain `fdatasync` of the database file), a commit arriving meanwhile waits for
/// all of it: 49–67 ms for a 64 MiB pass, against 0.4–0.6 ms usually, in docs/performance.md
/// ("Ninth session"). Here the file's dirty pages are written back a chunk at a time
/// (`sync_file_range`: wait for earlier write-back, write, wait), with a short pause after each
/// chunk that had pages to write, so that the commits' flushes in between each carry at most about
/// one chunk; then `fdatasync` makes the file durable, with little left to write.
///
/// Only where `sync_file_range` exists (Linux); elsewhere, or if it fails, a plain `fdatasync`.
package enum PacedWriteBack {
    /// `sync_file_range(2)`, found at run time: Glibc's Swift module leaves out this GNU call.
    private typealias SyncFileRange = @convention(c) (Int32, Int64, Int64, UInt32) -> Int32
    private static let syncFileRange: SyncFileRange? = {
        #if os(Linux)
        dlsym(dlopen(nil, RTLD_NOW), "sync_file_range").map { unsafeBitCast($0, to: SyncFileRange.self) }
        #else
        nil
        #endif
    }()
    /// `SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER`.
    private static let writeAndWait: UInt32 = 1 | 2 | 4

    /// Writes `file`'s dirty pages back in chunks of at least `chunk` bytes (a 256th of the file,
    /// if that is more, so a large file takes at most 256 calls), pausing `pause` after each chunk
    /// that took longer than `slowChunk` (it had pages to write), then syncs the file.
    /// - Returns: Whether the final sync succeeded.
    @discardableResult
    package static func sync(_ file: Int32, chunk: Int64 = 1 << 20, pause: Duration = .milliseconds(2),
                             slowChunk: Duration = .microseconds(200)) -> Bool {
        let writeBack = syncFileRange.map { call in { (offset: Int64, length: Int64) in call(file, offset, length, writeAndWait) == 0 } }
        return sync(file, chunk: chunk, pause: pause, slowChunk: slowChunk, writeBack: writeBack)
    }

    /// The same with the chunk's write-back given (tests record the ranges); `nil`: sync only.
    static func sync(_ file: Int32, chunk: Int64, pause: Duration, slowChunk: Duration,
                     writeBack: ((_ offset: Int64, _ length: Int64) -> Bool)?) -> Bool {
        var status = stat()
        if let writeBack, fstat(file, &status) == 0 {
            let size = Int64(status.st_size)
            let step = max(chunk, size / 256)
            var offset: Int64 = 0
            while offset < size {
                let start = ContinuousClock.now
                guard writeBack(offset, step) else { break }
                if ContinuousClock.now - start > slowChunk { Thread.sleep(forTimeInterval: pause / .seconds(1)) }
                offset += step
            }
        }
        return fdatasync(file) == 0
    }
}
