import Foundation
import IsnadWire
import Testing

/// Every decoder of outside bytes returns a value or a WireError; none traps. Inputs are valid
/// encodings mutated by a seeded generator: bit flips, truncations, insertions, boundary bytes,
/// splices and plain random bytes.
struct DecoderRobustnessTests {
    typealias Decoder = @Sendable ([UInt8]) throws(WireError) -> Void

    static let decoders: [(name: String, decode: Decoder, seeds: @Sendable () throws -> [[UInt8]])] = [
        ("Report (binary)", { bytes throws(WireError) in _ = try Report(canonicalBytes: bytes) }, { reportSeeds().map(\.canonicalBytes) }),
        ("Report (JSON)", { bytes throws(WireError) in _ = try Report(json: bytes) }, { try reportSeeds().map { try $0.json() } }),
        ("SignedReport", { bytes throws(WireError) in
            _ = try SignedReport(encoded: bytes).verify(for: Fixtures.alpha.keyID, now: testNow)
        }, { try reportSeeds().prefix(6).map { try Fixtures.signedSample($0).encoded } }),
        ("SealedReport", { bytes throws(WireError) in
            _ = try SealedReport.open(bytes, with: Fixtures.alpha.sealingPrivateKey, now: testNow)
        }, { try reportSeeds().prefix(4).map { try SealedReport.seal(try Fixtures.signedSample($0), to: Fixtures.alpha.publicKeys).encoded } }),
        ("Receipt", { bytes throws(WireError) in
            let fixture = try? ReceiptFixture()
            let receipt = try Receipt(encoded: bytes)
            if let fixture { _ = try fixture.verifier.verify(receipt, signedReport: fixture.signed) }
        }, { [try ReceiptFixture().receipt.encoded] }),
    ]

    static func reportSeeds() -> [Report] {
        var g = SeededGenerator(seed: 2024)
        return [Arbitrary.sample, Report(incidentType: .other)] + (0..<10).map { _ in Arbitrary.report(&g) }
    }

    static func mutate(_ seed: [UInt8], _ g: inout SeededGenerator) -> [UInt8] {
        var bytes = seed
        switch g.next() % 6 {
        case 0 where !bytes.isEmpty:
            let i = Int(g.next() % UInt64(bytes.count))
            bytes[i] ^= UInt8(1 << (g.next() % 8))
        case 1 where !bytes.isEmpty:
            bytes = Array(bytes.prefix(Int(g.next() % UInt64(bytes.count))))
        case 2:
            let i = Int(g.next() % UInt64(bytes.count + 1))
            bytes.insert(UInt8(truncatingIfNeeded: g.next()), at: i)
        case 3 where !bytes.isEmpty:
            let i = Int(g.next() % UInt64(bytes.count))
            bytes[i] = [0x00, 0x01, 0x02, 0x3f, 0x40, 0x7f, 0x80, 0xbf, 0xc0, 0xff, 0x22, 0x7b][Int(g.next() % 12)]
        case 4 where bytes.count > 4:
            // Splice: copy a run of bytes over another place (moves length fields around).
            let from = Int(g.next() % UInt64(bytes.count)), to = Int(g.next() % UInt64(bytes.count))
            let length = min(Int(g.next() % 16) + 1, bytes.count - max(from, to))
            bytes.replaceSubrange(to..<(to + length), with: bytes[from..<(from + length)])
        default:
            bytes = g.bytes(Int(g.next() % 96))
        }
        return bytes
    }

    @Test("mutated valid encodings give only WireErrors", arguments: 0..<decoders.count)
    func mutatedInputs(_ index: Int) throws {
        let decoder = Self.decoders[index]
        let seeds = try decoder.seeds()
        var g = SeededGenerator(seed: UInt64(index) &* 7919 &+ 1)
        var rejected: [WireError.Code: Int] = [:]
        var accepted = 0
        let rounds = 400
        for seed in seeds {
            // The unmutated seed is valid.
            try decoder.decode(seed)
            for _ in 0..<(rounds / seeds.count + 1) {
                do {
                    try decoder.decode(Self.mutate(seed, &g))
                    accepted += 1
                } catch {
                    rejected[error.code, default: 0] += 1
                }
            }
        }
        // The mutations must reach the error paths, and more than one of them.
        #expect(rejected.values.reduce(0, +) > accepted, "\(decoder.name): \(rejected) accepted \(accepted)")
        #expect(rejected.count >= 2, "\(decoder.name): \(rejected)")
    }

    @Test("random bytes of every small length give only WireErrors")
    func randomInputs() {
        var g = SeededGenerator(seed: 5)
        for decoder in Self.decoders {
            for length in 0..<200 {
                do {
                    try decoder.decode(g.bytes(length))
                    Issue.record("\(decoder.name) accepted \(length) random bytes")
                } catch {
                    #expect(!error.message.isEmpty)
                }
            }
        }
    }

    @Test("deeply nested JSON is refused without exhausting the stack")
    func deepJSON() {
        for opener in ["[", "{\"a\":"] {
            let json = Array(String(repeating: opener, count: 100_000).utf8)
            expectWireError(.malformedJSON) { _ = try Report(json: json) }
        }
    }

    @Test("reports built in code with out-of-range values never trap when encoded or validated")
    func extremeValues() throws {
        var report = Report(incidentType: .other)
        for seconds in [Int64.min, Int64.max, Int64.min + 1, ReportTime.end, ReportTime.earliest - 1] {
            for precision in TimePrecision.allCases {
                report.occurred = ReportTime(precision: precision, secondsSinceEpoch: seconds)
                _ = report.canonicalBytes
                #expect(throws: WireError.self) { _ = try report.json() }
                #expect(throws: WireError.self) { try report.validate(now: testNow) }
                #expect(throws: WireError.self) { _ = try Report(canonicalBytes: report.canonicalBytes) }
            }
        }
    }
}
