import Crypto
import Foundation
import IsnadMLS
import IsnadObservatory
import IsnadStore
import IsnadWire

/// Reports, reporters and observatories for the observatory tests.
enum ObservatoryFixtures {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// A valid report that differs by `number`.
    static func report(_ number: Int, occurred: Date = now - 86400) -> Report {
        Report(
            incidentType: .shelling,
            occurred: ReportTime(precision: .exact, secondsSinceEpoch: Int64(occurred.timeIntervalSince1970)),
            narrative: "Report number \(number).")
    }

    /// A report sealed by `reporter` to `keys`.
    static func sealed(_ report: Report, by reporter: ReporterIdentity, to keys: ObservatoryPublicKeys) throws -> [UInt8] {
        let signed = try reporter.key(for: keys).sign(report, for: keys.sealingKeyID, now: now)
        return try SealedReport.seal(signed, to: keys).encoded
    }

    static func reporter() -> ReporterIdentity {
        var generator = SystemRandomNumberGenerator()
        return ReporterIdentity.generate(using: &generator)
    }

    /// Signs arbitrary report bytes as docs/reports.md describes (so schema-invalid or future-dated
    /// reports can be signed), and seals them to `keys` as docs/reports.md describes.
    static func sealRaw(reportBytes: [UInt8], signer: Curve25519.Signing.PrivateKey, to keys: ObservatoryPublicKeys,
                        signFor keyID: ObservatoryKeyID? = nil) throws -> [UInt8] {
        let signature = try signer.signature(for: Array("isnad report v1".utf8) + (keyID ?? keys.sealingKeyID).bytes + reportBytes)
        var signed = TLSEncoder()
        signed.write(UInt16(1))
        signed.writeOpaque(Array(signer.publicKey.rawRepresentation))
        signed.writeOpaque(reportBytes)
        signed.writeOpaque(Array(signature))
        var header = TLSEncoder()
        header.write(UInt16(1))
        header.write(UInt16(0x0020))
        header.write(UInt16(0x0001))
        header.write(UInt16(0x0003))
        header.writeOpaque(keys.sealingKeyID.bytes)
        var sender = try HPKE.Sender(recipientKey: keys.sealingKey, ciphersuite: .Curve25519_SHA256_ChachaPoly, info: Data("isnad sealed report v1".utf8))
        let ciphertext = try sender.seal(signed.bytes, authenticating: header.bytes)
        var envelope = TLSEncoder()
        envelope.writeRaw(header.bytes)
        envelope.writeOpaque(Array(sender.encapsulatedKey))
        envelope.writeOpaque(Array(ciphertext))
        return envelope.bytes
    }

    static func observatory(store: any ObservatoryStore = InMemoryObservatoryStore(), keys: ObservatoryKeys? = nil) throws -> Observatory {
        Observatory(store: store, keys: try keys ?? ObservatoryKeys.generate(origin: "test.isnad/observatory"), now: { now })
    }
}
