import Crypto
import Foundation
import IsnadWire
import Testing

struct SealedReportTests {
    static func smallReport() -> Report {
        Report(incidentType: .detained, occurred: ReportTime(precision: .month, secondsSinceEpoch: 1_761_955_200), narrative: "x")
    }

    @Test("seal then open returns the verified report, for seeded random reports")
    func roundTrip() throws {
        var g = SeededGenerator(seed: 77)
        for _ in 0..<20 {
            let report = Arbitrary.report(&g)
            let signed = try Fixtures.signedSample(report)
            let sealed = try SealedReport.seal(signed, to: Fixtures.alpha.publicKeys)
            let bytes = sealed.encoded
            #expect(try SealedReport(encoded: bytes) == sealed)
            let verified = try SealedReport.open(bytes, with: Fixtures.alpha.sealingPrivateKey, now: testNow)
            #expect(verified.report.canonicalBytes == report.canonicalBytes)
            #expect(verified.signedReport == signed)
        }
    }

    @Test("the envelope follows the documented layout, and the documented construction opens")
    func documentedLayout() throws {
        let sealed = try SealedReport.seal(try Fixtures.signedSample(), to: Fixtures.alpha.publicKeys).encoded
        #expect(Array(sealed.prefix(8)) == [0, 1, 0, 0x20, 0, 1, 0, 3])
        #expect(sealed[8] == 32)
        #expect(Array(sealed[9..<41]) == Fixtures.alpha.keyID.bytes)
        #expect(sealed[41] == 32)
        let independent = try Fixtures.sealRaw(try Fixtures.signedSample().encoded, to: Fixtures.alpha)
        let verified = try SealedReport.open(independent, with: Fixtures.alpha.sealingPrivateKey, now: testNow)
        #expect(verified.report.canonicalBytes == Arbitrary.sample.canonicalBytes)
    }

    @Test("the wrong observatory key is named as such")
    func wrongObservatory() throws {
        let sealed = try SealedReport.seal(try Fixtures.signedSample(), to: Fixtures.alpha.publicKeys).encoded
        expectWireError(.wrongObservatory) { _ = try SealedReport.open(sealed, with: Fixtures.beta.sealingPrivateKey, now: testNow) }
        // Relabelled to beta's key ID: the header is authenticated, so decryption fails.
        var relabelled = sealed
        relabelled.replaceSubrange(9..<41, with: Fixtures.beta.keyID.bytes)
        expectWireError(.decryptionFailed) { _ = try SealedReport.open(relabelled, with: Fixtures.beta.sealingPrivateKey, now: testNow) }
    }

    @Test("a report signed for alpha and sealed to beta fails its signature check at beta")
    func resealedToAnotherObservatory() throws {
        let sealed = try SealedReport.seal(try Fixtures.signedSample(for: Fixtures.alpha), to: Fixtures.beta.publicKeys).encoded
        expectWireError(.invalidSignature) { _ = try SealedReport.open(sealed, with: Fixtures.beta.sealingPrivateKey, now: testNow) }
    }

    @Test("every single-byte change to a small sealed box gives a typed error, never a crash or an acceptance")
    func tamperEveryByte() throws {
        let signed = try Fixtures.signedSample(Self.smallReport())
        let bytes = try SealedReport.seal(signed, to: Fixtures.alpha.publicKeys).encoded
        #expect(bytes.count < 400)
        var codes: [WireError.Code: Int] = [:]
        for index in bytes.indices {
            for flip: UInt8 in [0x01, 0x80, 0xff] {
                var tampered = bytes
                tampered[index] ^= flip
                do {
                    _ = try SealedReport.open(tampered, with: Fixtures.alpha.sealingPrivateKey, now: testNow)
                    Issue.record("a change at byte \(index) was accepted")
                } catch {
                    codes[error.code, default: 0] += 1
                }
            }
        }
        let expected: Set<WireError.Code> = [.unsupportedVersion, .unsupportedSuite, .wrongObservatory, .decryptionFailed, .malformed]
        #expect(Set(codes.keys) == expected, "\(codes)")
    }

    @Test("every truncation and any extension is refused")
    func truncation() throws {
        let bytes = try SealedReport.seal(try Fixtures.signedSample(Self.smallReport()), to: Fixtures.alpha.publicKeys).encoded
        for length in 0..<bytes.count {
            expectWireError(.malformed) { _ = try SealedReport.open(Array(bytes.prefix(length)), with: Fixtures.alpha.sealingPrivateKey, now: testNow) }
        }
        expectWireError(.malformed) { _ = try SealedReport.open(bytes + [0], with: Fixtures.alpha.sealingPrivateKey, now: testNow) }
    }

    @Test("oversized input is refused before parsing")
    func oversized() {
        let huge = [UInt8](repeating: 0, count: SealedReport.maximumEncodedBytes + 1)
        expectWireError(.tooLarge) { _ = try SealedReport.open(huge, with: Fixtures.alpha.sealingPrivateKey, now: testNow) }
    }

    @Test("each failure inside the box is reported with its own code")
    func insideTheBox() throws {
        let key = Fixtures.reporterPrivateKey(for: Fixtures.alpha)
        let open = { (plaintext: [UInt8]) throws in
            _ = try SealedReport.open(try Fixtures.sealRaw(plaintext, to: Fixtures.alpha), with: Fixtures.alpha.sealingPrivateKey, now: testNow)
        }
        // Unsupported signed-report version.
        let v2 = try Fixtures.signRaw(Arbitrary.sample.canonicalBytes, key: key, keyID: Fixtures.alpha.keyID, version: 2)
        expectWireError(.unsupportedVersion, field: "SignedReport.version") { try open(v2) }
        // Bad signature (signed over other bytes).
        var forged = try Fixtures.signRaw(Arbitrary.sample.canonicalBytes, key: key, keyID: Fixtures.alpha.keyID)
        forged[forged.count - 1] ^= 1
        expectWireError(.invalidSignature) { try open(forged) }
        // Schema violation, correctly signed.
        var invalid = Arbitrary.sample
        invalid.counts.killed = CasualtyCounts(total: .exactly(1))
        invalid.counts.killed?.children = .exactly(2)
        expectWireError(.schemaViolation, field: "counts.killed") {
            try open(try Fixtures.signRaw(invalid.canonicalBytes, key: key, keyID: Fixtures.alpha.keyID))
        }
        // Unsupported report schema version, correctly signed.
        var v2report = Arbitrary.sample.canonicalBytes
        v2report[1] = 2
        expectWireError(.unsupportedVersion, field: "schema_version") {
            try open(try Fixtures.signRaw(v2report, key: key, keyID: Fixtures.alpha.keyID))
        }
        // A date in the future, correctly signed.
        var future = Arbitrary.sample
        future.occurred = ReportTime(precision: .exact, secondsSinceEpoch: Int64(testNow.timeIntervalSince1970) + 1)
        expectWireError(.futureDate, field: "occurred") {
            try open(try Fixtures.signRaw(future.canonicalBytes, key: key, keyID: Fixtures.alpha.keyID))
        }
        // Not a signed report at all.
        expectWireError(.malformed) { try open([0, 1, 3]) }
        // An oversized signed report inside a box of permitted size.
        expectWireError(.tooLarge) { try open([UInt8](repeating: 0, count: SignedReport.maximumEncodedBytes + 1)) }
    }

    @Test("other envelope versions and suites are refused as unsupported")
    func versionAndSuite() throws {
        let bytes = try SealedReport.seal(try Fixtures.signedSample(), to: Fixtures.alpha.publicKeys).encoded
        var v2 = bytes
        v2[1] = 2
        expectWireError(.unsupportedVersion) { _ = try SealedReport(encoded: v2) }
        var aesGCM = bytes
        aesGCM[7] = 2
        expectWireError(.unsupportedSuite) { _ = try SealedReport(encoded: aesGCM) }
    }
}
