import IsnadWire

/// A large snapshot of made-up figures, for the export benchmark and the streaming tests: `rows`
/// figures over consecutive days, 14 governorates and the six outcomes, each with two report
/// commitments. Deterministic; no real data.
public enum SyntheticSnapshot {
    public static func make(rows: Int, sequence: UInt64 = 1, publishedAt: Int64 = 1_763_712_000) -> TallySnapshot {
        let places = (1...14).map { Governorate(key: "governorate \($0)", name: "Governorate \($0)", code: "SY\(String(format: "%02d", $0))") }
        let outcomes = Outcome.allCases
        let perDay = places.count * outcomes.count
        var figures: [TallyFigure] = []
        figures.reserveCapacity(rows)
        for row in 0..<rows {
            let day = Int64(15_000 + row / perDay)
            let place = places[(row / outcomes.count) % places.count]
            let n = UInt32(truncatingIfNeeded: row % 97 + 1)
            var first = [UInt8](repeating: 0, count: 32), second = [UInt8](repeating: 0xff, count: 32)
            withUnsafeBytes(of: UInt64(row).bigEndian) { bytes in
                for k in 0..<8 { first[k + 1] = bytes[k]; second[k + 1] = bytes[k] }
            }
            let reports = [first, second].compactMap { try? ReportCommitment(bytes: $0) }
            figures.append(TallyFigure(
                period: .day(day), governorate: place, outcome: outcomes[row % outcomes.count], atLeast: n,
                breakdown: TallyBreakdown(values: [n / 2, nil, n / 4, 0, n / 3, n / 3, n / 5, nil, nil]), unidentified: n / 7,
                independentSources: UInt32(row % 5 + 1), status: TallyStatus.allCases[row % 3], reports: reports))
        }
        return TallySnapshot(figures: figures, sequence: sequence, publishedAt: publishedAt)
    }
}
