import Foundation
import GRDB
import IsnadStore

/// A consistent copy of a server's data folder, made while the server runs (`isnad backup`).
///
/// Each SQLite database is copied with `VACUUM INTO` on a read-only connection of its own: one
/// read transaction, so the copy is the database as of one commit, whatever the server writes
/// meanwhile (in WAL mode a reader neither waits for the writer nor holds it up; the log only
/// cannot start over until the copy ends). The copy holds no log: it is a whole database file.
/// Every other file (the observatory's keys) is copied byte for byte with its permissions. A
/// database's log and index (`-wal`, `-shm`), lock files and hidden temporaries are left out.
///
/// The copy is written into a folder that is new or empty, so nothing there is replaced, and
/// every file and the folder are synced before this returns. To restore, stop the server and
/// put the copied files into an empty data folder.
public enum DataFolderBackup {
    /// One file copied.
    public struct Copied: Sendable, Equatable, Codable {
        public let name: String
        public let bytes: Int64
        /// Whether it was a SQLite database, copied as a snapshot.
        public let database: Bool
    }

    /// How far the copy of one file has come: bytes written, and the size it will reach at most
    /// (a database's copy is its pages in use, often less than the file).
    public typealias Progress = @Sendable (_ name: String, _ written: Int64, _ total: Int64) -> Void

    /// Copies `source` into `destination` (created if missing; it must be empty).
    /// - Throws: ``StoreError`` with a sentence for the operator: a missing source, a destination
    ///   that holds files, a file that could not be read or written.
    @discardableResult
    public static func copy(from source: URL, to destination: URL, progress: Progress? = nil) throws -> [Copied] {
        let files = FileManager.default
        var isFolder: ObjCBool = false
        guard files.fileExists(atPath: source.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw StoreError(.invalidArgument, "The data folder \(source.path) does not exist.")
        }
        if files.fileExists(atPath: destination.path, isDirectory: &isFolder) {
            guard isFolder.boolValue else { throw StoreError(.invalidArgument, "\(destination.path) is a file; give a new or empty folder for the copy.") }
            guard (try? files.contentsOfDirectory(atPath: destination.path))?.isEmpty == true else {
                throw StoreError(.invalidArgument, "The folder \(destination.path) already holds files; give a new or empty folder for the copy.")
            }
        } else {
            do {
                // Owner only: the copy holds the observatory's private keys.
                try files.createDirectory(at: destination, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw StoreError(.unavailable, "The folder \(destination.path) could not be created: \(error.localizedDescription)")
            }
        }
        let names: [String]
        do {
            names = try files.contentsOfDirectory(atPath: source.path).filter(isCopied).sorted()
        } catch {
            throw StoreError(.unavailable, "The data folder \(source.path) could not be read: \(error.localizedDescription)")
        }
        var copied: [Copied] = []
        for name in names {
            let from = source.appendingPathComponent(name), to = destination.appendingPathComponent(name)
            guard (try? from.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
            let database = name.hasSuffix(".sqlite")
            do {
                if database {
                    try snapshot(from, to: to) { progress?(name, $0, $1) }
                } else {
                    try copyFile(from, to: to)
                }
                try sync(path: to.path)
            } catch let error as StoreError {
                throw error
            } catch {
                throw StoreError(.unavailable, "\(name) could not be copied: \(error.localizedDescription)", underlying: error)
            }
            let bytes = Int64((try? to.resourceValues(forKeys: [.fileSizeKey]))?.fileSize ?? 0)
            if !database { progress?(name, bytes, bytes) }
            copied.append(Copied(name: name, bytes: bytes, database: database))
        }
        try? sync(path: destination.path)
        return copied
    }

    /// Whether a file of the data folder belongs in the copy.
    static func isCopied(_ name: String) -> Bool {
        !name.hasPrefix(".") && ![".lock", "-wal", "-shm", "-journal"].contains { name.hasSuffix($0) }
    }

    /// `VACUUM INTO` from a read-only connection, reporting the copy's size as it grows.
    static func snapshot(_ source: URL, to destination: URL, progress: @escaping @Sendable (Int64, Int64) -> Void) throws {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        let queue = try DatabaseQueue(path: source.path, configuration: configuration)
        defer { try? queue.close() }
        try queue.inDatabase { db in
            let pages = try Int64.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            let freePages = try Int64.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0
            let pageSize = try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 4096
            let total = max(pages - freePages, 1) * pageSize
            progress(0, total)
            // The copy's size, polled while SQLite writes it.
            let watcher = SizeWatcher(path: destination.path) { progress(min($0, total), total) }
            defer { watcher.stop() }
            try db.execute(sql: "VACUUM INTO ?", arguments: [destination.path])
            watcher.stop()
            let written = Int64((try? destination.resourceValues(forKeys: [.fileSizeKey]))?.fileSize ?? 0)
            progress(written, written)
        }
    }

    /// A plain file, with its permissions.
    static func copyFile(_ source: URL, to destination: URL) throws {
        let permissions = (try FileManager.default.attributesOfItem(atPath: source.path)[.posixPermissions] as? NSNumber)?.int16Value ?? 0o600
        let bytes = try Data(contentsOf: source)
        guard FileManager.default.createFile(atPath: destination.path, contents: bytes, attributes: [.posixPermissions: permissions]) else {
            throw StoreError(.unavailable, "\(destination.path) could not be written.")
        }
    }

    /// `fsync` of a file or folder.
    static func sync(path: String) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw StoreError(.unavailable, "\(path) could not be opened to sync it.") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw StoreError(.unavailable, "\(path) could not be synced to disk.") }
    }

    /// Reports a file's size every 100 ms on a thread of its own, until stopped.
    final class SizeWatcher: @unchecked Sendable {
        private let stopped = NSCondition()
        private var isStopped = false

        init(path: String, report: @escaping @Sendable (Int64) -> Void) {
            let thread = Thread { [self] in
                stopped.lock()
                defer { stopped.unlock() }
                while !isStopped {
                    _ = stopped.wait(until: Date(timeIntervalSinceNow: 0.1))
                    if isStopped { break }
                    var status = stat()
                    if stat(path, &status) == 0 { report(Int64(status.st_size)) }
                }
            }
            thread.start()
        }

        func stop() {
            stopped.lock()
            isStopped = true
            stopped.signal()
            stopped.unlock()
        }
    }
}
