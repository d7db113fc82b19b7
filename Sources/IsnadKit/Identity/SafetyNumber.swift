import Crypto
import Foundation

/// The code two contacts compare in person: 60 digits from both identity keys, the same on
/// both sides, shown in twelve groups of five for reading aloud.
///
/// Each key gives 30 digits (in the manner of Signal's numeric fingerprints): SHA-512 iterated
/// 5200 times over a versioned label and the key, the first 30 bytes read as six 5-byte
/// big-endian numbers modulo 100000. The two halves are ordered by value, so the order in which
/// the keys are given does not matter.
public struct SafetyNumber: Sendable, Equatable, CustomStringConvertible {
    /// The 60 digits.
    public let digits: String

    public init(_ first: Data, _ second: Data) {
        let halves = [Self.half(first), Self.half(second)].sorted()
        digits = halves.joined()
    }

    /// A safety number already computed (say, from a listing).
    public init(digits: String) {
        self.digits = digits
    }

    /// Twelve groups of five digits, four to a line.
    public var grouped: String {
        let groups = stride(from: 0, to: digits.count, by: 5).map { start -> String in
            let from = digits.index(digits.startIndex, offsetBy: start)
            return String(digits[from..<digits.index(from, offsetBy: 5)])
        }
        return stride(from: 0, to: groups.count, by: 4).map { groups[$0..<min($0 + 4, groups.count)].joined(separator: " ") }
            .joined(separator: "\n")
    }

    public var description: String { grouped }

    static func half(_ key: Data) -> String {
        var hash = Data("isnad safety number v1".utf8) + [0] + key
        for _ in 0..<5200 {
            hash = Data(SHA512.hash(data: hash + key))
        }
        return (0..<6).map { chunk -> String in
            let value = hash[chunk * 5..<chunk * 5 + 5].reduce(UInt64(0)) { ($0 << 8) | UInt64($1) }
            let number = String(value % 100_000)
            return String(repeating: "0", count: 5 - number.count) + number
        }.joined()
    }
}
