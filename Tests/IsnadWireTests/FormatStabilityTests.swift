import Crypto
import IsnadWire
import Testing

/// Pins the bytes of version 1 so a change to any encoding or signing construction is noticed:
/// stored reports, signatures, commitments and receipts must keep verifying.
struct FormatStabilityTests {
    static func sha256Hex(_ bytes: [UInt8]) -> String { Hex.string(Array(SHA256.hash(data: bytes))) }

    @Test("the full example's canonical bytes, signed report and receipt are unchanged")
    func pinned() throws {
        let report = try Report(json: Array(ReportExamples.full.utf8))
        let signed = try Fixtures.signedSample(report)
        let fixture = try ReceiptFixture()
        #expect(report.canonicalBytes.count == 446)
        #expect(Self.sha256Hex(report.canonicalBytes) == "572c1d45668eba2049e4e313716a3c8f5cf40e47d4bff008ccb9f178e2cfd63b")
        #expect(Self.sha256Hex(signed.encoded) == "15767153711a68915e7e64698a1cb7b54b71fa76c4d6c7231e427db3443a51ea")
        #expect(Hex.string(fixture.opening.commitment.bytes) == "a9856de455f5173af2a57e3b18863ffffcab523d7bd252861abd0002f3dce02a")
        #expect(Self.sha256Hex(fixture.receipt.encoded) == "f41df8b7aafad07b91102410de258b0d2a18d238c36b6e85f2039f36346aaace")
        // Old bytes keep decoding and verifying.
        _ = try SignedReport(encoded: signed.encoded).verify(for: Fixtures.alpha.keyID, now: testNow)
        _ = try fixture.verifier.verify(try Receipt(encoded: fixture.receipt.encoded), signedReport: fixture.signed)
    }
}
