/// Pairwise precision, recall and F1 of a clustering against the truth (docs/dedup.md,
/// "Measuring"): a pair of records counts as merged when both lie in one cluster.
public struct PairwiseMetrics: Sendable, CustomStringConvertible {
    /// Merged pairs that are one person.
    public let truePositives: Int
    /// Merged pairs that are two people.
    public let falsePositives: Int
    /// Pairs of one person left apart.
    public let falseNegatives: Int

    /// Compares clusters with the true person of each record; records without a person (the
    /// unidentified) are each their own person.
    public init(clusters: [[VictimRecordID]], truth: [VictimRecordID: Int]) {
        func pairs(_ n: Int) -> Int { n * (n - 1) / 2 }
        var predicted = 0
        var correct = 0
        var sizes: [Int: Int] = [:]
        for cluster in clusters {
            predicted += pairs(cluster.count)
            var byPerson: [Int: Int] = [:]
            for record in cluster {
                if let p = truth[record] { byPerson[p, default: 0] += 1 }
            }
            correct += byPerson.values.map(pairs).reduce(0, +)
        }
        for p in truth.values { sizes[p, default: 0] += 1 }
        let actual = sizes.values.map(pairs).reduce(0, +)
        truePositives = correct
        falsePositives = predicted - correct
        falseNegatives = actual - correct
    }

    /// TP / (TP + FP); 1 when nothing was merged.
    public var precision: Double {
        truePositives + falsePositives == 0 ? 1 : Double(truePositives) / Double(truePositives + falsePositives)
    }

    /// TP / (TP + FN); 1 when there was nothing to merge.
    public var recall: Double {
        truePositives + falseNegatives == 0 ? 1 : Double(truePositives) / Double(truePositives + falseNegatives)
    }

    /// The harmonic mean of precision and recall.
    public var f1: Double {
        precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
    }

    public var description: String {
        func pct(_ x: Double) -> String { String(Double(Int((x * 1000).rounded())) / 10) + "%" }
        return "precision \(pct(precision)), recall \(pct(recall)), F1 \(pct(f1)) (TP \(truePositives), FP \(falsePositives), FN \(falseNegatives))"
    }
}
