@testable import IsnadTransparency

/// A direct, slow transcription of the recursive definitions of RFC 9162 §2.1.1, §2.1.3.1 and
/// §2.1.4.1 over entry lists, used only to cross-check the fast implementation.
enum ReferenceMerkle {
    static func k(_ n: Int) -> Int {
        var k = 1
        while k * 2 < n { k *= 2 }
        return k
    }

    static func mth(_ d: ArraySlice<[UInt8]>) -> [UInt8] {
        if d.isEmpty { return MerkleTreeHash.emptyTree }
        if d.count == 1 { return MerkleTreeHash.leafHash(d[d.startIndex]) }
        let split = d.startIndex + k(d.count)
        return MerkleTreeHash.nodeHash(mth(d[d.startIndex..<split]), mth(d[split...]))
    }

    static func path(_ m: Int, _ d: ArraySlice<[UInt8]>) -> [[UInt8]] {
        if d.count == 1 { return [] }
        let kk = k(d.count)
        let split = d.startIndex + kk
        if m < kk { return path(m, d[d.startIndex..<split]) + [mth(d[split...])] }
        return path(m - kk, d[split...]) + [mth(d[d.startIndex..<split])]
    }

    static func subproof(_ m: Int, _ d: ArraySlice<[UInt8]>, _ b: Bool) -> [[UInt8]] {
        if m == d.count { return b ? [] : [mth(d)] }
        let kk = k(d.count)
        let split = d.startIndex + kk
        if m <= kk { return subproof(m, d[d.startIndex..<split], b) + [mth(d[split...])] }
        return subproof(m - kk, d[split...], false) + [mth(d[d.startIndex..<split])]
    }
}
