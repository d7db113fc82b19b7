import Foundation
#if canImport(Glibc)
import Glibc
#endif
import IsnadObservatory

/// `IsnadBenchmarks export [--rows 1000000] [--quick]`: exports of a large snapshot through the
/// dashboard's streaming path (exporter on its own thread, 64 KiB chunks, a channel of four),
/// into /dev/null. Prints rows/s, the ratio to a baseline that writes the same number of bytes
/// with no formatting (same run), and the peak resident memory growth during each export
/// (VmHWM after resetting it through /proc/self/clear_refs), at two sizes to show that the
/// growth does not follow the row count. A non-streaming export (one in-memory buffer) is
/// measured beside it for contrast.
struct ExportBenchmark {
    var rows = 1_000_000

    init(arguments: [String]) {
        if let index = arguments.firstIndex(of: "--rows"), index + 1 < arguments.count, let value = Int(arguments[index + 1]), value > 0 {
            rows = value
        }
        if arguments.contains("--quick") { rows = min(rows, 100_000) }
    }

    /// Resident and peak resident set, in bytes (Linux /proc/self/status).
    static func memory() -> (rss: Int, peak: Int) {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
        func field(_ name: String) -> Int {
            let line = status.split(separator: "\n").first { $0.hasPrefix(name + ":") }
            return (line?.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0) * 1024
        }
        return (field("VmRSS"), field("VmHWM"))
    }

    /// Resets VmHWM to the current RSS (writing 5 to clear_refs, Linux 4.0+).
    static func resetPeak() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }

    struct Result {
        var seconds: Double
        var bytes: Int
        var peakGrowth: Int
    }

    /// Runs `body` once, measuring time and peak RSS growth above the RSS before it.
    static func measure(_ body: () async throws -> Int) async rethrows -> Result {
        resetPeak()
        let before = memory().rss
        let start = DispatchTime.now().uptimeNanoseconds
        let bytes = try await body()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return Result(seconds: seconds, bytes: bytes, peakGrowth: max(0, memory().peak - before))
    }

    /// A table row: the first column left-aligned in 28, the rest right-aligned in 16.
    static func row(_ cells: [String]) -> String {
        cells.enumerated().map { k, cell in
            let pad = String(repeating: " ", count: max(0, (k == 0 ? 28 : 16) - cell.count))
            return k == 0 ? cell + pad : pad + cell
        }.joined()
    }

    static func mib(_ bytes: Int) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }

    func run() async throws {
        let null = try FileHandle(forWritingTo: URL(fileURLWithPath: "/dev/null"))
        print("export benchmark: snapshots of \(rows / 4) and \(rows) figures; streamed to /dev/null in \(ExportStreaming.ChunkSink.chunkSize / 1024) KiB chunks")
        print(Self.row(["case", "rows", "rows/s", "vs baseline", "MB/s", "peak RSS growth"]))
        for size in [rows / 4, rows] {
            let before = Self.memory().rss
            let snapshot = SyntheticSnapshot.make(rows: size)
            let held = Self.memory().rss - before
            // The snapshot's hash (every export carries it) encodes the whole snapshot once:
            // measured apart, since a server computes it once per snapshot, not per export.
            var header: SnapshotHeader?
            let hashing = await Self.measure {
                header = SnapshotHeader(snapshot)
                return 0
            }
            guard let header else { return }
            func stream(_ export: @escaping @Sendable (inout ExportStreaming.ChunkSink) throws -> Void) async throws -> Int {
                var total = 0
                try await ExportStreaming.pump(export) { chunk in
                    total += chunk.count
                    chunk.withUnsafeBytes { _ = Glibc.write(null.fileDescriptor, $0.baseAddress, $0.count) }
                }
                return total
            }
            let csv = try await Self.measure { try await stream { sink in try TallyCSVExporter.export(snapshot.figures, header: header, to: &sink) } }
            // Baseline: the same number of bytes in the same number of rows, already formatted
            // (one constant line of the CSV's mean row length), through the same sink, channel and
            // writes: everything but the formatting.
            let plain = String(repeating: "a", count: max(1, csv.bytes / (size + 1) - 2)) + "\r\n"
            let baseline = try await Self.measure {
                try await stream { sink in for _ in 0...size { try sink.write(plain) } }
            }
            let json = try await Self.measure { try await stream { sink in try TallyJSONExporter.export(snapshot.figures, header: header, to: &sink) } }
            let hxl = try await Self.measure {
                try await stream { sink in try TallyHXLExporter.export(snapshot.figures, outcome: .killed, header: header, to: &sink) }
            }
            let whole = await Self.measure {
                var sink = CollectingSink()
                try? TallyCSVExporter.export(snapshot.figures, header: header, to: &sink)
                null.write(Data(sink.bytes))
                return sink.bytes.count
            }
            let hxlRows = snapshot.figures.lazy.filter { $0.outcome == .killed }.count
            func line(_ name: String, _ r: Result, rows: Int) {
                let ratio = (Double(r.bytes) / r.seconds) / (Double(baseline.bytes) / baseline.seconds)
                print(Self.row([
                    name, String(rows), String(format: "%.0f", Double(rows) / r.seconds), String(format: "%.3fx", ratio),
                    String(format: "%.1f", Double(r.bytes) / r.seconds / 1e6), Self.mib(r.peakGrowth),
                ]))
            }
            print("-- \(size) figures (the snapshot itself holds about \(Self.mib(held)); CSV is \(Self.mib(csv.bytes)); "
                + "its hash took \(String(format: "%.2f", hashing.seconds)) s and \(Self.mib(hashing.peakGrowth)) peak)")
            line("baseline: unformatted rows", baseline, rows: size)
            line("CSV, streamed", csv, rows: size)
            line("JSON, streamed", json, rows: size)
            line("HXL (killed), streamed", hxl, rows: hxlRows)
            line("CSV, one buffer (contrast)", whole, rows: size)
        }
        print("vs baseline = export bytes/s ÷ baseline bytes/s (the same bytes unformatted, same path); peak RSS growth = VmHWM during the export − RSS before it.")
    }
}
