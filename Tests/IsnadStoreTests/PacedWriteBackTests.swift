import Foundation
@testable import IsnadStoreSQLite
import Testing

/// The checkpointer's write-back (``PacedWriteBack``): what it leaves behind is checked here;
/// what it is for (commits not waiting for a whole pass) is measured by
/// `IsnadBenchmarks checkpoint` (docs/performance.md).
@Suite("Paced write-back of a checkpoint pass")
struct PacedWriteBackTests {
    @Test("a file written in bulk is written back chunk by chunk to its end, then synced, its bytes unchanged")
    func syncsEveryChunk() async throws {
        try await withTemporaryDirectory { folder in
            let path = folder.appendingPathComponent("written").path
            // Five chunks of 64 KiB, and a ragged end.
            let bytes = Data((0..<(5 * 65_536 + 123)).map { UInt8(truncatingIfNeeded: $0 &* 7) })
            try bytes.write(to: URL(fileURLWithPath: path))
            let file = open(path, O_RDWR)
            #expect(file >= 0)
            defer { close(file) }
            var ranges: [(offset: Int64, length: Int64)] = []
            #expect(PacedWriteBack.sync(file, chunk: 65_536, pause: .zero, slowChunk: .zero) { offset, length in
                ranges.append((offset, length))
                return true
            })
            #expect(ranges.map(\.offset) == [0, 65_536, 131_072, 196_608, 262_144, 327_680])
            #expect(ranges.allSatisfy { $0.length == 65_536 })
            // The real write-back (sync_file_range on Linux) on the same file.
            #expect(PacedWriteBack.sync(file, chunk: 65_536, pause: .milliseconds(1)))
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
        }
    }

    @Test("a large file takes at most 256 chunks, and a failed chunk ends the write-back before the sync")
    func boundsTheCalls() async throws {
        try await withTemporaryDirectory { folder in
            let path = folder.appendingPathComponent("sparse").path
            FileManager.default.createFile(atPath: path, contents: nil)
            let file = open(path, O_RDWR)
            #expect(file >= 0)
            defer { close(file) }
            #expect(ftruncate(file, 1 << 30) == 0)  // 1 GiB, sparse
            var calls = 0
            #expect(PacedWriteBack.sync(file, chunk: 1 << 20, pause: .zero, slowChunk: .seconds(1)) { _, length in
                calls += 1
                return length == (1 << 30) / 256
            })
            #expect(calls == 256)
            calls = 0
            #expect(PacedWriteBack.sync(file, chunk: 1 << 20, pause: .zero, slowChunk: .seconds(1)) { _, _ in
                calls += 1
                return calls < 3
            })
            #expect(calls == 3)
        }
    }

    @Test("a descriptor that cannot be synced is reported, not ignored")
    func reportsFailure() {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]); close(ends[1]) }
        #expect(!PacedWriteBack.sync(ends[0]))
    }
}
