import Crypto
import Foundation
import IsnadMLS

/// An evidence file encrypted for one observatory (docs/reports.md, "Evidence files"): a header
/// carrying a fresh 32-byte file key sealed with HPKE base mode to the observatory's key (as
/// ``SealedReport``), followed by the file encrypted under that key with ``ChunkedPayload``.
///
/// ```
/// struct {
///     uint16 version;          // 1
///     uint16 kem_id, kdf_id, aead_id;   // (0x0020, 0x0001, 0x0003) as SealedReport
///     opaque key_id<V>;        // 32-byte ObservatoryKeyID
///     opaque sha256<V>;        // 32-byte SHA-256 of the plaintext file (the report's evidence item)
///     opaque enc<V>;           // 32-byte HPKE encapsulated key
///     opaque sealed_key<V>;    // Seal(info, aad = the fields above, file key)
/// } EvidenceHeader;
/// blob = EvidenceHeader || ChunkedPayload(file key, file)
/// info = "isnad evidence v1"
/// ```
public enum EvidenceEnvelope {
    /// The HPKE `info` string.
    public static let hpkeInfo = Array("isnad evidence v1".utf8)
    /// The header's length: fixed, so a reader knows where the chunks begin (each vector's one-byte
    /// length prefix, RFC 9420 §2.1.2, then 32 bytes; the sealed key is 32 bytes plus a 16-byte tag).
    public static let headerCount = 8 + 3 * (1 + 32) + (1 + 48)

    /// The whole blob's length for a file of `size` bytes.
    public static func blobCount(fileSize size: Int) -> Int { headerCount + ChunkedPayload.sealedCount(size) }

    static func aad(keyID: ObservatoryKeyID, sha256: [UInt8]) -> [UInt8] {
        var encoder = TLSEncoder()
        encoder.writeRaw(SealedReport.header(keyID: keyID))
        encoder.writeOpaque(sha256)
        return encoder.bytes
    }

    /// Encrypts a file for an observatory.
    /// - Throws: ``WireError/Code/cryptoFailure`` if the provider fails.
    public static func seal(_ file: Data, to observatory: ObservatoryPublicKeys) throws(WireError) -> Data {
        let sha256 = Array(SHA256.hash(data: file))
        let fileKey = SymmetricKey(size: .bits256)
        let aad = aad(keyID: observatory.sealingKeyID, sha256: sha256)
        var encoder = TLSEncoder(capacity: headerCount)
        encoder.writeRaw(aad)
        do {
            var sender = try HPKE.Sender(
                recipientKey: observatory.sealingKey, ciphersuite: SealedReport.hpkeCiphersuite, info: Data(hpkeInfo))
            let sealedKey = try fileKey.withUnsafeBytes { try sender.seal(Data($0), authenticating: aad) }
            encoder.writeOpaque(Array(sender.encapsulatedKey))
            encoder.writeOpaque(Array(sealedKey))
        } catch {
            throw WireError(.cryptoFailure, kind: .internalFailure, "HPKE sealing failed", specRule: "RFC 9180 §6.1")
        }
        return Data(encoder.bytes) + (try ChunkedPayload.seal(file, key: fileKey))
    }

    /// Decrypts a whole blob and checks every chunk; returns the file and the SHA-256 named in its header
    /// (the caller compares it with the recomputed hash and the report's evidence item).
    /// - Throws: ``WireError/Code/malformed``, ``WireError/Code/unsupportedVersion``,
    ///   ``WireError/Code/wrongObservatory`` or ``WireError/Code/decryptionFailed``; never traps.
    public static func open(
        _ blob: Data, with privateKey: Curve25519.KeyAgreement.PrivateKey
    ) throws(WireError) -> (file: Data, namedSHA256: [UInt8]) {
        guard blob.count >= headerCount else {
            throw WireError.malformed("EvidenceHeader", "the blob is shorter than its header")
        }
        let header = Array(blob.prefix(headerCount))
        var decoder = TLSDecoder(header)
        let version = try WireCodec.run("EvidenceHeader.version") { try decoder.readUInt16() }
        guard version == SealedReport.currentVersion else {
            throw WireError(.unsupportedVersion, kind: .unsupported, "evidence version \(version) is not supported",
                            field: "EvidenceHeader.version", specRule: "docs/reports.md §Evidence files")
        }
        for field in ["kem_id", "kdf_id", "aead_id"] {
            _ = try WireCodec.run("EvidenceHeader.\(field)") { try decoder.readUInt16() }
        }
        let keyID = try ObservatoryKeyID(bytes: try WireCodec.readFixedOpaque(&decoder, field: "EvidenceHeader.key_id", count: 32))
        let sha256 = try WireCodec.readFixedOpaque(&decoder, field: "EvidenceHeader.sha256", count: 32)
        let enc = try WireCodec.readFixedOpaque(&decoder, field: "EvidenceHeader.enc", count: 32)
        let sealedKey = try WireCodec.readFixedOpaque(&decoder, field: "EvidenceHeader.sealed_key", count: 48)
        let aad = aad(keyID: keyID, sha256: sha256)
        guard Array(header.prefix(aad.count)) == aad else {
            throw WireError(.unsupportedSuite, kind: .unsupported, "the evidence header names an unsupported HPKE suite",
                            field: "EvidenceHeader.suite", specRule: "RFC 9180 §7")
        }
        guard keyID == ObservatoryKeyID(sealingKey: privateKey.publicKey) else {
            throw WireError(.wrongObservatory, "the evidence is sealed to another observatory key",
                            field: "EvidenceHeader.key_id", specRule: "docs/reports.md §Evidence files")
        }
        let fileKey: SymmetricKey
        do {
            var recipient = try HPKE.Recipient(
                privateKey: privateKey, ciphersuite: SealedReport.hpkeCiphersuite, info: Data(hpkeInfo),
                encapsulatedKey: Data(enc))
            fileKey = SymmetricKey(data: try recipient.open(Data(sealedKey), authenticating: aad))
        } catch {
            throw WireError(.decryptionFailed, "the evidence file key does not decrypt: the header was altered",
                            field: "EvidenceHeader.sealed_key", specRule: "RFC 9180 §5.2")
        }
        let file = try ChunkedPayload.open(Data(blob.dropFirst(headerCount)), key: fileKey)
        return (file, sha256)
    }
}
