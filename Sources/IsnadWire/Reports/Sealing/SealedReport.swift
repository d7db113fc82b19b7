import Crypto
import Foundation
import IsnadMLS

/// A signed report encrypted to one observatory with HPKE base mode (RFC 9180 §5.1), in a
/// versioned envelope (docs/reports.md, "Sealing"):
///
/// ```
/// struct {
///     uint16 version;          // 1
///     uint16 kem_id;           // 0x0020 DHKEM(X25519, HKDF-SHA256)   RFC 9180 §7.1
///     uint16 kdf_id;           // 0x0001 HKDF-SHA256                  RFC 9180 §7.2
///     uint16 aead_id;          // 0x0003 ChaCha20Poly1305             RFC 9180 §7.3
///     opaque key_id<V>;        // 32-byte ObservatoryKeyID of the recipient
///     opaque enc<V>;           // 32-byte encapsulated key
///     opaque ciphertext<V>;    // Seal(info, aad = header, SignedReport)
/// } SealedReport;
///
/// info = "isnad sealed report v1"
/// aad  = version || kem_id || kdf_id || aead_id || key_id<V>   (the encoded header)
/// ```
public struct SealedReport: Hashable, Sendable {
    /// The envelope version this build writes and reads.
    public static let currentVersion: UInt16 = 1
    /// The HPKE `info` string.
    public static let hpkeInfo = Array("isnad sealed report v1".utf8)
    /// The one suite of version 1: (KEM, KDF, AEAD) identifiers of RFC 9180 §7.
    public static let suite: (kem: UInt16, kdf: UInt16, aead: UInt16) = (0x0020, 0x0001, 0x0003)
    /// The largest envelope accepted; larger input is refused before any parsing.
    public static let maximumEncodedBytes = SignedReport.maximumEncodedBytes + 256

    /// The recipient observatory's key ID.
    public let keyID: ObservatoryKeyID
    /// The HPKE encapsulated key, 32 bytes.
    public let encapsulatedKey: [UInt8]
    /// The HPKE ciphertext of the encoded ``SignedReport``.
    public let ciphertext: [UInt8]

    init(keyID: ObservatoryKeyID, encapsulatedKey: [UInt8], ciphertext: [UInt8]) {
        self.keyID = keyID
        self.encapsulatedKey = encapsulatedKey
        self.ciphertext = ciphertext
    }

    static var hpkeCiphersuite: HPKE.Ciphersuite { .Curve25519_SHA256_ChachaPoly }

    /// The header bytes, authenticated as HPKE associated data.
    static func header(keyID: ObservatoryKeyID) -> [UInt8] {
        var encoder = TLSEncoder()
        encoder.write(currentVersion)
        encoder.write(suite.kem)
        encoder.write(suite.kdf)
        encoder.write(suite.aead)
        encoder.writeOpaque(keyID.bytes)
        return encoder.bytes
    }

    /// Seals a signed report to an observatory's HPKE key (RFC 9180 §6.1, single-shot Seal).
    /// - Parameters:
    ///   - signedReport: the report, signed for this observatory's key ID.
    ///   - observatory: the observatory's published keys.
    /// - Throws: ``WireError/Code/cryptoFailure`` if the provider fails.
    public static func seal(_ signedReport: SignedReport, to observatory: ObservatoryPublicKeys) throws(WireError) -> SealedReport {
        let keyID = observatory.sealingKeyID
        do {
            var sender = try HPKE.Sender(
                recipientKey: observatory.sealingKey, ciphersuite: hpkeCiphersuite, info: Data(hpkeInfo))
            let ciphertext = try sender.seal(signedReport.encoded, authenticating: header(keyID: keyID))
            return SealedReport(keyID: keyID, encapsulatedKey: Array(sender.encapsulatedKey), ciphertext: Array(ciphertext))
        } catch {
            throw WireError(.cryptoFailure, kind: .internalFailure, "HPKE sealing failed", specRule: "RFC 9180 §6.1")
        }
    }

    /// The envelope's encoding.
    public var encoded: [UInt8] {
        var encoder = TLSEncoder(capacity: ciphertext.count + 96)
        encoder.writeRaw(Self.header(keyID: keyID))
        encoder.writeOpaque(encapsulatedKey)
        encoder.writeOpaque(ciphertext)
        return encoder.bytes
    }

    /// Decodes an envelope, strictly; does not decrypt it.
    /// - Throws: ``WireError/Code/tooLarge`` (checked first), ``WireError/Code/unsupportedVersion``,
    ///   ``WireError/Code/unsupportedSuite`` or ``WireError/Code/malformed``; never traps.
    public init(encoded bytes: [UInt8]) throws(WireError) {
        guard bytes.count <= Self.maximumEncodedBytes else {
            throw WireError(
                .tooLarge, "a sealed report is at most \(Self.maximumEncodedBytes) bytes", field: "SealedReport",
                specRule: "docs/reports.md §Limits")
        }
        self = try WireCodec.decodeAll(bytes, what: "SealedReport") { (decoder) throws(WireError) in
            let version = try WireCodec.run("SealedReport.version") { try decoder.readUInt16() }
            guard version == Self.currentVersion else {
                throw WireError(
                    .unsupportedVersion, kind: .unsupported, "sealed report version \(version) is not supported",
                    field: "SealedReport.version", specRule: "docs/reports.md §Versions")
            }
            let kem = try WireCodec.run("SealedReport.kem_id") { try decoder.readUInt16() }
            let kdf = try WireCodec.run("SealedReport.kdf_id") { try decoder.readUInt16() }
            let aead = try WireCodec.run("SealedReport.aead_id") { try decoder.readUInt16() }
            guard (kem, kdf, aead) == Self.suite else {
                throw WireError(
                    .unsupportedSuite, kind: .unsupported,
                    "HPKE suite (\(kem), \(kdf), \(aead)) is not supported; version 1 uses (32, 1, 3)",
                    field: "SealedReport.suite", specRule: "RFC 9180 §7")
            }
            let keyID = try ObservatoryKeyID(
                bytes: try WireCodec.readFixedOpaque(&decoder, field: "SealedReport.key_id", count: 32))
            let enc = try WireCodec.readFixedOpaque(&decoder, field: "SealedReport.enc", count: 32)
            let ciphertext = try WireCodec.run("SealedReport.ciphertext") { try decoder.readOpaque() }
            return SealedReport(keyID: keyID, encapsulatedKey: enc, ciphertext: ciphertext)
        }
    }
}
