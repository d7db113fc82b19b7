// IsnadMLS benchmarks. Two modes, each printing ratios against baselines measured in the same run:
//
//   swift run -c release IsnadBenchmarks [micro] [--quick]
//       one MLS operation at a time against the raw swift-crypto calls it makes (Micro.swift)
//   swift run -c release IsnadBenchmarks group [--sizes 10,100,1000] [--quick] [--json FILE]
//       whole groups: add, join, commit, process, application message at each size, a full
//       tree's commit against its cryptographic floor (GroupScale.swift); scripts/bench-group.sh
//       runs it beside mls-rs and prints both in one table
//   swift run -c release IsnadBenchmarks observatory [--quick] [--entries 1000000]
//       intake/s against raw HPKE open + Ed25519 verify; log appends/s and proof times at
//       1 million entries (ObservatoryBenchmark.swift)
//   swift run -c release IsnadBenchmarks relay [--postgres URL] [--seconds S] [--connections N] [--quick]
//       the relay over loopback: stored messages/s against a Hummingbird hello-world, send-to-push
//       latency, memory per idle WebSocket, two-relay latency (RelayBenchmark.swift); it starts
//       its servers as child processes of this executable (modes hello-server, relay-server)
//   swift run -c release IsnadBenchmarks dedup [--sizes 25000,50000,100000,200000]
//       victim de-duplication times and growth against n log n (DedupBenchmark.swift)
//   swift run -c release IsnadBenchmarks export [--rows 1000000] [--quick]
//       streamed CSV/JSON/HXL export of a 1-million-figure snapshot: rows/s against writing the
//       same bytes unformatted, and peak memory growth at two sizes (ExportBenchmark.swift)
//   swift run -c release IsnadBenchmarks checkpoint [--log-mib 64] [--rounds 3]
//       how long small commits wait while a checkpoint pass's pages are synced: the relay's paced
//       write-back against a plain fdatasync (CheckpointBenchmark.swift)
//   swift run -c release IsnadBenchmarks writer [--tasks 128] [--seconds 5] [--rounds 3]
//       the SQLite store's mailbox writes alone, without HTTP: rate and CPU time per message,
//       by thread (WriterBenchmark.swift)
import Foundation

var arguments = Array(CommandLine.arguments.dropFirst())
let mode = arguments.first.flatMap { $0.hasPrefix("--") ? nil : $0 } ?? "micro"
if !arguments.isEmpty, !arguments[0].hasPrefix("--") { arguments.removeFirst() }

do {
    switch mode {
    case "micro":
        try MicroBenchmarks.run(quick: arguments.contains("--quick"))
    case "group":
        try GroupScaleBenchmark(arguments: arguments).run()
    case "observatory":
        try await ObservatoryBenchmark(arguments: arguments).run()
    case "relay":
        try await RelayBenchmark(arguments: arguments).run()
    case "hello-server":
        try await RelayServers.hello(arguments: arguments)
    case "relay-server":
        try await RelayServers.relay(arguments: arguments)
    case "dedup":
        try DedupBenchmark(arguments: arguments).run()
    case "export":
        try await ExportBenchmark(arguments: arguments).run()
    case "checkpoint":
        try CheckpointBenchmark(arguments: arguments).run()
    case "writer":
        try await WriterBenchmark(arguments: arguments).run()
    default:
        FileHandle.standardError.write(Data("unknown mode \(mode): use micro, group, relay, observatory, dedup, export, checkpoint or writer\n".utf8))
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("benchmark failed: \(error)\n".utf8))
    exit(1)
}
