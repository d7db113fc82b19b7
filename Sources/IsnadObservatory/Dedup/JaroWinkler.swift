/// Jaro–Winkler string similarity (W. E. Winkler, "String Comparator Metrics and Enhanced Decision
/// Rules in the Fellegi-Sunter Model of Record Linkage", 1990), the comparator record-linkage
/// practice uses for names: 1 for equal strings, 0 for strings with no character in common.
public enum JaroWinkler {
    /// The Winkler prefix scale (the usual 0.1) and the longest prefix it rewards (4).
    static let prefixScale = 0.1
    static let maximumPrefix = 4

    /// The similarity of two strings, compared by Unicode scalar.
    public static func similarity(_ a: String, _ b: String) -> Double {
        similarity(Array(a.unicodeScalars.map(\.value)), Array(b.unicodeScalars.map(\.value)))
    }

    /// The similarity of two sequences of code points.
    public static func similarity(_ a: [UInt32], _ b: [UInt32]) -> Double {
        if a == b { return a.isEmpty ? 0 : 1 }
        if a.isEmpty || b.isEmpty { return 0 }
        let window = max(0, max(a.count, b.count) / 2 - 1)
        var aMatched = [Bool](repeating: false, count: a.count)
        var bMatched = [Bool](repeating: false, count: b.count)
        var matches = 0
        for i in a.indices {
            let low = max(0, i - window)
            let high = min(b.count - 1, i + window)
            guard low <= high else { continue }
            for j in low...high where !bMatched[j] && a[i] == b[j] {
                aMatched[i] = true
                bMatched[j] = true
                matches += 1
                break
            }
        }
        guard matches > 0 else { return 0 }
        var transpositions = 0
        var j = 0
        for i in a.indices where aMatched[i] {
            while !bMatched[j] { j += 1 }
            if a[i] != b[j] { transpositions += 1 }
            j += 1
        }
        let m = Double(matches)
        let jaro = (m / Double(a.count) + m / Double(b.count) + (m - Double(transpositions / 2)) / m) / 3
        var prefix = 0
        while prefix < min(maximumPrefix, a.count, b.count), a[prefix] == b[prefix] { prefix += 1 }
        return jaro + Double(prefix) * prefixScale * (1 - jaro)
    }
}
