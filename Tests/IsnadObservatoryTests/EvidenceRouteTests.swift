import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IsnadObservatory
import IsnadStore
import IsnadWire
import NIOCore
import Testing

/// Evidence files over HTTP: a resumable, chunked upload of the encrypted blob, checked against an
/// accepted report's evidence item when the last byte arrives; only ciphertext is stored.
@Suite("Evidence uploads")
struct EvidenceRouteTests {
    typealias F = ObservatoryFixtures

    static let size = 150_000
    static let fileA = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7) })
    static let fileB = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 13) })
    static let fileC = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 17) })

    static func item(_ file: Data) -> EvidenceItem {
        EvidenceItem(sha256: Array(SHA256.hash(data: file)), mediaType: "image/jpeg", size: UInt64(file.count))
    }

    static func put(_ client: any TestClientProtocol, _ hex: String, offset: Int, _ bytes: Data) async throws -> (Int, [String: Any]) {
        try await client.execute(uri: "/observatory/evidence/\(hex)?offset=\(offset)", method: .put, body: ByteBuffer(bytes: bytes)) { response in
            (Int(response.status.code), (try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]) ?? [:])
        }
    }

    @Test("a file arrives in pieces, resumes at the held offset, is checked and kept encrypted; unknown or mismatched files are refused")
    func upload() async throws {
        let store = InMemoryObservatoryStore()
        let observatory = try F.observatory(store: store)
        var report = F.report(1)
        report.evidence = [Self.item(Self.fileA), Self.item(Self.fileB)]
        let status = try await observatory.intake.submit(.random(), sealed: try F.sealed(report, by: F.reporter(), to: observatory.keys.publicKeys), now: F.now)
        guard case .accepted = status.state else { Issue.record("the report was not accepted: \(status.state)"); return }
        let app = observatory.makeApplication(host: "127.0.0.1", port: 0, interval: .seconds(3600))
        let hexA = Hex.encode(Array(SHA256.hash(data: Self.fileA)))
        let hexB = Hex.encode(Array(SHA256.hash(data: Self.fileB)))
        try await app.test(.router) { client in
            let blob = try EvidenceEnvelope.seal(Self.fileA, to: observatory.keys.publicKeys)
            #expect(blob.count == EvidenceEnvelope.blobCount(fileSize: Self.size))
            let (first, firstBody) = try await Self.put(client, hexA, offset: 0, blob.prefix(70_000))
            #expect(first == 200 && firstBody["state"] as? String == "partial" && firstBody["held_bytes"] as? Int == 70_000, "\(firstBody)")
            let (wrong, wrongBody) = try await Self.put(client, hexA, offset: 10, blob.dropFirst(10))
            #expect(wrong == 409 && wrongBody["code"] as? String == "conflict", "\(wrongBody)")
            try await client.execute(uri: "/observatory/evidence/\(hexA)/status", method: .get) { response in
                let body = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                #expect(body?["held_bytes"] as? Int == 70_000 && body?["total_bytes"] as? Int == blob.count)
            }
            let (last, lastBody) = try await Self.put(client, hexA, offset: 70_000, blob.dropFirst(70_000))
            #expect(last == 200 && lastBody["state"] as? String == "received", "\(lastBody)")
            let stored = try #require(try await store.evidenceBlob(Data(SHA256.hash(data: Self.fileA))))
            #expect(stored == blob, "the encrypted blob is kept as sent")
            #expect(stored.range(of: Self.fileA.prefix(64)) == nil, "no plaintext is stored")

            // Another file of the same size under B's hash: decrypts, but is not B; dropped.
            let other = try EvidenceEnvelope.seal(Self.fileC, to: observatory.keys.publicKeys)
            let (mismatch, mismatchBody) = try await Self.put(client, hexB, offset: 0, other)
            #expect(mismatch == 422 && mismatchBody["code"] as? String == "evidence-mismatch", "\(mismatchBody)")
            #expect(try await store.evidence(Data(SHA256.hash(data: Self.fileB))) == nil, "nothing is kept of a mismatched file")
            // A blob altered in transit does not decrypt; dropped.
            var altered = try EvidenceEnvelope.seal(Self.fileB, to: observatory.keys.publicKeys)
            altered[altered.count - 100] ^= 1
            let (damaged, damagedBody) = try await Self.put(client, hexB, offset: 0, altered)
            #expect(damaged == 422 && damagedBody["code"] as? String == WireError.Code.decryptionFailed.rawValue, "\(damagedBody)")
            #expect(try await store.evidence(Data(SHA256.hash(data: Self.fileB))) == nil)

            let unknown = Hex.encode(Array(SHA256.hash(data: Data("not in any report".utf8))))
            let (missing, missingBody) = try await Self.put(client, unknown, offset: 0, Data([1, 2, 3]))
            #expect(missing == 404 && missingBody["code"] as? String == "evidence-unknown", "\(missingBody)")
            let (badName, badNameBody) = try await Self.put(client, "ABC", offset: 0, Data([1]))
            #expect(badName == 400 && badNameBody["code"] as? String == "malformed-request", "\(badNameBody)")
            let (tooLong, tooLongBody) = try await Self.put(client, hexB, offset: 0, other + Data([0]))
            #expect(tooLong == 413 && tooLongBody["code"] as? String == "request-too-large", "\(tooLongBody)")
        }
    }
}
