import Crypto
import Foundation
import IsnadObservatory
import IsnadStore
import IsnadTransparency
import IsnadWire
import Testing

@Suite("Observatory intake")
struct IntakeTests {
    typealias F = ObservatoryFixtures

    @Test("a sealed report is accepted, logged in a batch, and its receipt verifies against the checkpoint")
    func acceptAndLog() async throws {
        let observatory = try F.observatory()
        let keys = observatory.keys.publicKeys
        let reporter = F.reporter()
        var ids: [SubmissionID] = []
        for number in 0..<3 {
            let id = SubmissionID.random()
            let status = try await observatory.intake.submit(id, sealed: try F.sealed(F.report(number), by: reporter, to: keys), now: F.now)
            #expect(status.state == .accepted)
            ids.append(id)
        }
        #expect(try await observatory.sequencer.appendBatch() == 3, "one batch takes every accepted report")
        #expect(try await observatory.sequencer.appendBatch() == 0)
        let verifier = ReceiptVerifier(logVerifier: observatory.keys.logVerifier)
        for (index, id) in ids.enumerated() {
            let status = try #require(try await observatory.store.status(id))
            guard case .logged(let logIndex, let bytes) = status.state else {
                Issue.record("not logged: \(status.state)")
                continue
            }
            #expect(logIndex == UInt64(index))
            let receipt = try Receipt(encoded: Array(bytes))
            let signed = try SignedReport(encoded: Array(try #require(status.report).signedReport))
            let verified = try verifier.verify(receipt, signedReport: signed)
            #expect(verified.checkpoint.treeSize == 3)
        }
    }

    /// Each bad input, the reason it must be rejected with.
    static func badInputs(_ keys: ObservatoryPublicKeys) throws -> [(String, [UInt8], String)] {
        let reporter = F.reporter()
        let good = try F.sealed(F.report(1), by: reporter, to: keys)
        let signer = Curve25519.Signing.PrivateKey()
        // A forged signature: a signature made for another observatory key does not verify here.
        let other = Curve25519.Signing.PrivateKey()
        let forgedBytes = try F.sealRaw(reportBytes: F.report(2).canonicalBytes, signer: signer, to: keys, signFor: ObservatoryKeyID(sealingKey: Curve25519.KeyAgreement.PrivateKey().publicKey))
        let wrongKeys = ObservatoryPublicKeys(sealingKey: Curve25519.KeyAgreement.PrivateKey().publicKey, logKey: other.publicKey)
        var invalid = F.report(3)
        invalid.narrative = String(repeating: "x", count: Report.Limits.narrativeBytes + 1)
        let future = F.report(4, occurred: F.now + 3600)
        var flipped = good
        flipped[flipped.count - 5] ^= 0x01
        return [
            ("forged signature", forgedBytes, WireError.Code.invalidSignature.rawValue),
            ("wrong observatory key", try F.sealed(F.report(5), by: reporter, to: wrongKeys), WireError.Code.wrongObservatory.rawValue),
            ("truncated sealed box", Array(good.prefix(good.count - 10)), WireError.Code.malformed.rawValue),
            ("altered ciphertext", flipped, WireError.Code.decryptionFailed.rawValue),
            ("invalid schema", try F.sealRaw(reportBytes: invalid.canonicalBytes, signer: signer, to: keys), WireError.Code.schemaViolation.rawValue),
            ("future date", try F.sealRaw(reportBytes: future.canonicalBytes, signer: signer, to: keys), WireError.Code.futureDate.rawValue),
            ("one byte", [0x00], WireError.Code.malformed.rawValue),
            ("not an envelope", Array("hello".utf8), WireError.Code.unsupportedVersion.rawValue),
        ]
    }

    @Test("bad input is rejected with its stated reason, retrievable later, and counted")
    func badInput() async throws {
        let observatory = try F.observatory()
        for (name, bytes, reason) in try Self.badInputs(observatory.keys.publicKeys) {
            let id = SubmissionID.random()
            let status = try await observatory.intake.submit(id, sealed: bytes, now: F.now)
            guard case .rejected(let stated, let message) = status.state else {
                Issue.record("\(name): not rejected but \(status.state)")
                continue
            }
            #expect(stated == reason, "\(name)")
            #expect(!message.isEmpty)
            #expect(try await observatory.store.status(id)?.state == status.state, "\(name): the reason is retrievable")
            let metrics = String(decoding: observatory.metrics.emit(), as: UTF8.self)
            #expect(metrics.contains("isnad_observatory_rejections_total{reason=\"\(reason)\"} "), "\(name): counted")
        }
        #expect(try await observatory.store.unloggedReports(limit: 10).isEmpty, "nothing accepted")
        #expect(try await observatory.store.pendingSubmissions(limit: 10).isEmpty, "nothing left pending")
    }

    @Test("a date within the clock skew allowance is accepted; one beyond it is not")
    func clockSkew() async throws {
        let observatory = try F.observatory()
        let signer = Curve25519.Signing.PrivateKey()
        let keys = observatory.keys.publicKeys
        let near = try F.sealRaw(reportBytes: F.report(1, occurred: F.now + 60).canonicalBytes, signer: signer, to: keys)
        #expect(try await observatory.intake.submit(.random(), sealed: near, now: F.now).state == .accepted)
        let far = try F.sealRaw(reportBytes: F.report(2, occurred: F.now + 3600).canonicalBytes, signer: signer, to: keys)
        #expect(try await observatory.intake.submit(.random(), sealed: far, now: F.now).state
                == .rejected(reason: WireError.Code.futureDate.rawValue, message: "the date lies in the future; check the device clock and the date entered (occurred)"))
    }

    @Test("a replayed submission and a duplicate report are rejected; a retry is not")
    func replayAndDuplicate() async throws {
        let observatory = try F.observatory()
        let keys = observatory.keys.publicKeys
        let reporter = F.reporter()
        let signed = try reporter.key(for: keys).sign(F.report(1), for: keys.sealingKeyID, now: F.now)
        let sealed = try SealedReport.seal(signed, to: keys).encoded
        let id = SubmissionID.random()
        #expect(try await observatory.intake.submit(id, sealed: sealed, now: F.now).state == .accepted)
        #expect(try await observatory.intake.submit(id, sealed: sealed, now: F.now).state == .accepted, "a retry answers the same status")
        await #expect(throws: ObservatoryError.self, "the same bytes under another ID is a replay") {
            try await observatory.intake.submit(.random(), sealed: sealed, now: F.now)
        }
        let resealed = try SealedReport.seal(signed, to: keys).encoded
        let again = try await observatory.intake.submit(.random(), sealed: resealed, now: F.now)
        #expect(again.state == .rejected(reason: ObservatoryStoreContract.duplicateReason, message: ObservatoryStoreContract.duplicateMessage))
        await #expect(throws: ObservatoryError.self, "an oversized box is refused before storing") {
            try await observatory.intake.submit(.random(), sealed: [UInt8](repeating: 0, count: SealedReport.maximumEncodedBytes + 1), now: F.now)
        }
        #expect(try await observatory.sequencer.appendBatch() == 1, "one report reaches the log")
    }

    @Test("store first: a submission stored before a crash is processed and logged after the restart")
    func crashAfterStoring() async throws {
        let store = InMemoryObservatoryStore()
        let keys = try ObservatoryKeys.generate(origin: "test.isnad/observatory")
        let sealed = try F.sealed(F.report(1), by: F.reporter(), to: keys.publicKeys)
        let id = SubmissionID.random()
        // The process stored the raw bytes, then died before processing them.
        _ = try await store.receive(id, sealed: Data(sealed), sealedDigest: Data(SHA256.hash(data: sealed)), now: F.now)
        let restarted = try F.observatory(store: store, keys: keys)
        await restarted.tick()
        guard case .logged(0, _) = try await store.status(id)?.state else {
            Issue.record("the stored submission was not processed and logged after the restart")
            return
        }
    }
}
