// Victim de-duplication at scale (issue 7), against the smallest size measured in the same run:
//
//   swift run -c release IsnadBenchmarks dedup [--sizes 25000,50000,100000,200000]
//
// Each size is a SyntheticVictimSet with known duplicates whose span of days grows with its
// size (about 14 records a day, docs/dedup.md's largest measured set: 6,965 days at 100,000
// records), so block sizes stay alike as n grows, as a growing archive's would. Prints the time of VictimDeduplicator.run, its growth against
// the first size, the growth n log n would predict, and pairwise precision/recall.
import Foundation
import IsnadObservatory

struct DedupBenchmark {
    let sizes: [Int]

    init(arguments: [String]) {
        if let index = arguments.firstIndex(of: "--sizes"), index + 1 < arguments.count {
            sizes = arguments[index + 1].split(separator: ",").compactMap { Int($0) }.filter { $0 > 0 }
        } else {
            sizes = [25_000, 50_000, 100_000, 200_000]
        }
    }

    func run() throws {
        print("de-duplication (VictimDeduplicator.run), synthetic records; growth against \(sizes.first ?? 0) records")
        print("records    days   time (s)   growth   n log n growth   pairs compared   precision   recall")
        var baseline: (n: Double, seconds: Double)?
        for size in sizes {
            let days = max(30, size * 2_500 / 35_888)
            // Records come person by person; enough people for `size` records, then the first `size`.
            let set = SyntheticVictimSet.make(people: size, seed: 7, days: days)
            let records = Array(set.records.prefix(size))
            FileHandle.standardError.write(Data("running \(records.count) records…\n".utf8))
            var result: DedupResult?
            let seconds = try ObservatoryBenchmark.seconds { result = try VictimDeduplicator().run(records) }
            let n = Double(records.count)
            let first = baseline ?? (n, seconds)
            baseline = first
            let predicted = (n * log2(n)) / (first.n * log2(first.n))
            let metrics = result.map(set.evaluate)
            print(String(
                format: "%7ld  %5ld   %8.2f   %6.2fx   %13.2fx   %14ld   %9.3f   %6.3f", records.count, days, seconds, seconds / first.seconds, predicted,
                result?.comparedPairs ?? 0, metrics?.precision ?? 0, metrics?.recall ?? 0))
        }
    }
}
