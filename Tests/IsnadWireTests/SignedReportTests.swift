import Crypto
import Foundation
import IsnadWire
import Testing

struct SignedReportTests {
    @Test("sign then verify returns the report and the reporter's pseudonym")
    func roundTrip() throws {
        let signed = try Fixtures.signedSample()
        let decoded = try SignedReport(encoded: signed.encoded)
        #expect(decoded == signed)
        let verified = try decoded.verify(for: Fixtures.alpha.keyID, now: testNow)
        #expect(verified.report.canonicalBytes == Arbitrary.sample.canonicalBytes)
        #expect(verified.reporterKey.rawRepresentation == Fixtures.reporter.key(for: Fixtures.alpha.publicKeys).publicKey.rawRepresentation)
    }

    @Test("the signature covers label, observatory key ID and report bytes exactly as documented")
    func documentedConstruction() throws {
        let signed = try Fixtures.signedSample()
        let key = Fixtures.reporter.key(for: Fixtures.alpha.publicKeys).publicKey
        let message = Array("isnad report v1".utf8) + Fixtures.alpha.keyID.bytes + Arbitrary.sample.canonicalBytes
        #expect(key.isValidSignature(signed.signature, for: message))
        #expect(!key.isValidSignature(signed.signature, for: Arbitrary.sample.canonicalBytes))
    }

    @Test("a report signed for one observatory does not verify at another")
    func noReplayAcrossObservatories() throws {
        let signed = try Fixtures.signedSample(for: Fixtures.alpha)
        expectWireError(.invalidSignature) { _ = try signed.verify(for: Fixtures.beta.keyID, now: testNow) }
    }

    @Test("any changed bit in key, report or signature fails verification with a typed error")
    func tampering() throws {
        let bytes = try Fixtures.signedSample().encoded
        for index in bytes.indices {
            var tampered = bytes
            tampered[index] ^= 0x04
            do {
                _ = try SignedReport(encoded: tampered).verify(for: Fixtures.alpha.keyID, now: testNow)
                Issue.record("a change at byte \(index) was accepted")
            } catch {
                // Typed throws: the compiler proves every failure is a WireError.
                #expect([.invalidSignature, .malformed, .unsupportedVersion, .invalidKey].contains(error.code), "byte \(index): \(error)")
            }
        }
    }

    @Test("signing refuses invalid and future-dated reports; verification refuses them too")
    func schemaAtBothEnds() throws {
        var invalid = Arbitrary.sample
        invalid.victims[0] = Victim(sex: .female)
        let key = Fixtures.reporter.key(for: Fixtures.alpha.publicKeys)
        expectWireError(.schemaViolation, field: "victims[0]") { _ = try key.sign(invalid, for: Fixtures.alpha.keyID, now: testNow) }
        var future = Arbitrary.sample
        future.occurred = ReportTime(precision: .exact, secondsSinceEpoch: Int64(testNow.timeIntervalSince1970) + 60)
        expectWireError(.futureDate, field: "occurred") { _ = try key.sign(future, for: Fixtures.alpha.keyID, now: testNow) }
        // Signed with a later clock, verified with an earlier one.
        let signed = try key.sign(future, for: Fixtures.alpha.keyID, now: testNow.addingTimeInterval(120))
        expectWireError(.futureDate, field: "occurred") { _ = try signed.verify(for: Fixtures.alpha.keyID, now: testNow) }
        let raw = try Fixtures.signRaw(invalid.canonicalBytes, key: Fixtures.reporterPrivateKey(for: Fixtures.alpha), keyID: Fixtures.alpha.keyID)
        expectWireError(.schemaViolation, field: "victims[0]") {
            _ = try SignedReport(encoded: raw).verify(for: Fixtures.alpha.keyID, now: testNow)
        }
    }

    @Test("other versions, bad sizes and oversized input are refused")
    func framing() throws {
        let key = try Curve25519.Signing.PrivateKey(rawRepresentation: Array(repeating: 5, count: 32))
        let v2 = try Fixtures.signRaw(Arbitrary.sample.canonicalBytes, key: key, keyID: Fixtures.alpha.keyID, version: 2)
        expectWireError(.unsupportedVersion) { _ = try SignedReport(encoded: v2) }
        expectWireError(.tooLarge) { _ = try SignedReport(encoded: Array(repeating: 0, count: SignedReport.maximumEncodedBytes + 1)) }
        let good = try Fixtures.signedSample().encoded
        expectWireError(.malformed) { _ = try SignedReport(encoded: good + [0]) }
        for length in 0..<good.count {
            expectWireError(.malformed) { _ = try SignedReport(encoded: Array(good.prefix(length))) }
        }
    }
}
