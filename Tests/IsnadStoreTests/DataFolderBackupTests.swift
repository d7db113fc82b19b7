import Foundation
@testable import IsnadStore
@testable import IsnadStoreSQLite
import Synchronization
import Testing

/// `isnad backup` copies a server's data folder while the server writes to it
/// (DataFolderBackup.swift): each database as of one commit, the keys file with its
/// permissions, no log, index or lock file; a destination that holds anything is refused.
@Suite("Backup of a data folder")
struct DataFolderBackupTests {
    @Test("a copy made while the store writes opens as a store with a gapless prefix of the messages, and the keys file as it was")
    func copyWhileWriting() async throws {
        try await withTemporaryDirectory { folder in
            let data = folder.appendingPathComponent("data"), copy = folder.appendingPathComponent("copy")
            let store = try SQLiteRelayStore(directory: data)
            let device = try await RelayStoreContract.registerDevice(store)
            for _ in 0..<500 { _ = try await store.enqueue(RelayStoreContract.message(to: [device.id]), now: RelayStoreContract.now) }
            let keys = Data("{\"private\": \"not really\"}".utf8)
            #expect(FileManager.default.createFile(atPath: data.appendingPathComponent("observatory-keys.json").path, contents: keys,
                                                   attributes: [.posixPermissions: 0o600]))
            // Storing goes on while the copy is made.
            let writer = Task {
                var stored = 0
                while !Task.isCancelled {
                    _ = try await store.enqueue(RelayStoreContract.message(to: [device.id]), now: RelayStoreContract.now)
                    stored += 1
                }
                return stored
            }
            let reports = Mutex<[String: [(Int64, Int64)]]>([:])
            let copied = try DataFolderBackup.copy(from: data, to: copy) { name, written, total in
                reports.withLock { $0[name, default: []].append((written, total)) }
            }
            writer.cancel()
            let storedDuring = (try? await writer.value) ?? 0
            try store.close()

            #expect(copied.map(\.name) == ["observatory-keys.json", "relay.sqlite"], "no log, index or lock file: \(copied)")
            #expect(copied.map(\.database) == [false, true])
            let names = try FileManager.default.contentsOfDirectory(atPath: copy.path).sorted()
            #expect(names == ["observatory-keys.json", "relay.sqlite"])
            let keysCopy = copy.appendingPathComponent("observatory-keys.json")
            #expect(try Data(contentsOf: keysCopy) == keys)
            let permissions = try FileManager.default.attributesOfItem(atPath: keysCopy.path)[.posixPermissions] as? Int
            #expect(permissions == 0o600, "the keys stay readable by their owner only")
            let folderPermissions = try FileManager.default.attributesOfItem(atPath: copy.path)[.posixPermissions] as? Int
            #expect(folderPermissions == 0o700)

            let restored = try SQLiteRelayStore(directory: copy)
            let cursors = try await restored.messages(for: device.id, after: 0, limit: 100_000, now: RelayStoreContract.now).map(\.cursor)
            #expect(cursors.count >= 500 && cursors == Array(1...Int64(cursors.count)),
                    "the 500 stored before, then a gapless run of the \(storedDuring) stored meanwhile: \(cursors.count) in the copy")
            try restored.close()
            let last = try #require(reports.withLock { $0["relay.sqlite"]?.last })
            #expect(last.0 == last.1 && last.0 == copied[1].bytes, "the last report is the whole copy")
        }
    }

    @Test("a destination that holds a file, a file as destination, or a missing data folder is refused, and nothing there changes")
    func refusals() async throws {
        try await withTemporaryDirectory { folder in
            let data = folder.appendingPathComponent("data")
            let store = try SQLiteRelayStore(directory: data)
            try store.close()

            let occupied = folder.appendingPathComponent("occupied")
            try FileManager.default.createDirectory(at: occupied, withIntermediateDirectories: true)
            let kept = occupied.appendingPathComponent("relay.sqlite")
            try Data("an older copy".utf8).write(to: kept)
            let error = try #require(throws: StoreError.self) { try DataFolderBackup.copy(from: data, to: occupied) }
            #expect(error.code == .invalidArgument && error.message.contains("already holds files"))
            #expect(try Data(contentsOf: kept) == Data("an older copy".utf8))

            let file = folder.appendingPathComponent("a-file")
            try Data("x".utf8).write(to: file)
            #expect(throws: StoreError.self) { try DataFolderBackup.copy(from: data, to: file) }
            #expect(try Data(contentsOf: file) == Data("x".utf8))

            let nowhere = folder.appendingPathComponent("new")
            let missing = try #require(throws: StoreError.self) {
                try DataFolderBackup.copy(from: folder.appendingPathComponent("no-such-folder"), to: nowhere)
            }
            #expect(missing.message.contains("does not exist"))
            #expect(!FileManager.default.fileExists(atPath: nowhere.path), "nothing is created for a refused copy")

            let empty = folder.appendingPathComponent("empty")
            try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
            #expect(try DataFolderBackup.copy(from: data, to: empty).map(\.name) == ["relay.sqlite"], "an empty folder is taken")
        }
    }
}
