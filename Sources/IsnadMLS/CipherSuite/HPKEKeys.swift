import Crypto
import Foundation

/// `opaque HPKEPublicKey<V>` (§5.1.1): X25519 raw bytes or an uncompressed NIST point.
public struct HPKEPublicKey: MLSCodable, Hashable, Sendable {
    /// The encoded key (RFC 9180 `SerializePublicKey`).
    public var bytes: [UInt8]
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public func encode(to encoder: inout TLSEncoder) { encoder.writeOpaque(bytes) }
    public init(from decoder: inout TLSDecoder) throws { bytes = try decoder.readOpaque("hpke_public_key") }
}

/// An HPKE private key (RFC 9180 `SerializePrivateKey` form). Its description never shows the key.
public struct HPKEPrivateKey: Sendable, Equatable, CustomStringConvertible {
    /// The serialized private key.
    package let secret: SecretBytes
    public init(_ secret: SecretBytes) { self.secret = secret }
    public var description: String { "HPKEPrivateKey(redacted)" }
}

/// An HPKE key pair.
public struct HPKEKeyPair: Sendable {
    public let privateKey: HPKEPrivateKey
    public let publicKey: HPKEPublicKey
}

/// `struct { opaque kem_output<V>; opaque ciphertext<V>; } HPKECiphertext` (§7.6).
public struct HPKECiphertext: MLSCodable, Hashable, Sendable {
    public var kemOutput: [UInt8]
    public var ciphertext: [UInt8]
    public init(kemOutput: [UInt8], ciphertext: [UInt8]) {
        self.kemOutput = kemOutput
        self.ciphertext = ciphertext
    }
    public func encode(to encoder: inout TLSEncoder) {
        encoder.writeOpaque(kemOutput)
        encoder.writeOpaque(ciphertext)
    }
    public init(from decoder: inout TLSDecoder) throws {
        kemOutput = try decoder.readOpaque("kem_output")
        ciphertext = try decoder.readOpaque("ciphertext")
    }
}

extension CipherSuiteProvider {
    /// `EncryptWithLabel(public_key, label, context, plaintext)` (§5.1.3): HPKE `SealBase` with
    /// `info = EncryptContext { "MLS 1.0 " + label; context }` and empty AAD.
    public func encryptWithLabel(_ publicKey: HPKEPublicKey, label: String, context: [UInt8], plaintext: [UInt8]) throws -> HPKECiphertext {
        let info = Data(Self.labeled(label, context))
        var sender = try makeSender(publicKey, info: info)
        do {
            let ciphertext = try sender.seal(plaintext)
            return HPKECiphertext(kemOutput: Array(sender.encapsulatedKey), ciphertext: Array(ciphertext))
        } catch {
            throw MLSError(.primitiveFailed, .internal, "HPKE seal failed")
        }
    }

    /// `DecryptWithLabel(private_key, label, context, kem_output, ciphertext)` (§5.1.3).
    /// - Throws: ``MLSError`` `.decryptionFailed` for a wrong key, a malformed KEM output or a forged ciphertext.
    public func decryptWithLabel(_ privateKey: HPKEPrivateKey, label: String, context: [UInt8], kemOutput: [UInt8], ciphertext: [UInt8]) throws -> [UInt8] {
        let info = Data(Self.labeled(label, context))
        var recipient = try makeRecipient(privateKey, info: info, kemOutput: kemOutput)
        do {
            return Array(try recipient.open(ciphertext))
        } catch {
            throw MLSError.badInput(.decryptionFailed, "HPKE open failed: the ciphertext was not sealed to this key with this label and context", rfc: "§5.1.3")
        }
    }

    /// The sender half of HPKE's secret export: `SetupBaseS(public_key, info)` then `export(context, length)` (§8.3).
    public func hpkeExportSender(_ publicKey: HPKEPublicKey, info: [UInt8], exporterContext: [UInt8], length: Int) throws -> (kemOutput: [UInt8], secret: SecretBytes) {
        let sender = try makeSender(publicKey, info: Data(info))
        do {
            let key = try sender.exportSecret(context: exporterContext, outputByteCount: length)
            return (Array(sender.encapsulatedKey), SecretBytes(key.withUnsafeBytes { Array($0) }))
        } catch {
            throw MLSError(.primitiveFailed, .internal, "HPKE export failed")
        }
    }

    /// The recipient half of HPKE's secret export: `SetupBaseR(kem_output, private_key, info)` then `export` (§8.3).
    public func hpkeExportRecipient(_ privateKey: HPKEPrivateKey, kemOutput: [UInt8], info: [UInt8], exporterContext: [UInt8], length: Int) throws -> SecretBytes {
        let recipient = try makeRecipient(privateKey, info: Data(info), kemOutput: kemOutput)
        do {
            let key = try recipient.exportSecret(context: exporterContext, outputByteCount: length)
            return SecretBytes(key.withUnsafeBytes { Array($0) })
        } catch {
            throw MLSError(.primitiveFailed, .internal, "HPKE export failed")
        }
    }

    private func makeSender(_ publicKey: HPKEPublicKey, info: Data) throws -> HPKE.Sender {
        do {
            switch kem {
            case .x25519:
                return try HPKE.Sender(recipientKey: try Curve25519.KeyAgreement.PublicKey(rawRepresentation: publicKey.bytes), ciphersuite: hpkeSuite, info: info)
            case .p256:
                return try HPKE.Sender(recipientKey: try P256.KeyAgreement.PublicKey(x963Representation: publicKey.bytes), ciphersuite: hpkeSuite, info: info)
            case .p384:
                return try HPKE.Sender(recipientKey: try P384.KeyAgreement.PublicKey(x963Representation: publicKey.bytes), ciphersuite: hpkeSuite, info: info)
            case .p521:
                return try HPKE.Sender(recipientKey: try P521.KeyAgreement.PublicKey(x963Representation: publicKey.bytes), ciphersuite: hpkeSuite, info: info)
            }
        } catch {
            throw MLSError.badInput(.invalidKey, "a \(publicKey.bytes.count)-byte HPKE public key is not a valid key for \(suite)")
        }
    }

    /// The serialized private key, left-padded to the scalar size for NIST curves.
    private func rawHPKEPrivateKey(_ privateKey: HPKEPrivateKey) -> [UInt8] {
        switch kem {
        case .x25519: privateKey.secret.bytes
        case .p256: ECScalar.leftPadded(privateKey.secret.bytes, to: 32)
        case .p384: ECScalar.leftPadded(privateKey.secret.bytes, to: 48)
        case .p521: ECScalar.leftPadded(privateKey.secret.bytes, to: 66)
        }
    }

    private func makeRecipient(_ privateKey: HPKEPrivateKey, info: Data, kemOutput: [UInt8]) throws -> HPKE.Recipient {
        let encapsulated = Data(kemOutput)
        let raw = rawHPKEPrivateKey(privateKey)
        do {
            switch kem {
            case .x25519:
                return try HPKE.Recipient(privateKey: try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: raw), ciphersuite: hpkeSuite, info: info, encapsulatedKey: encapsulated)
            case .p256:
                return try HPKE.Recipient(privateKey: try P256.KeyAgreement.PrivateKey(rawRepresentation: raw), ciphersuite: hpkeSuite, info: info, encapsulatedKey: encapsulated)
            case .p384:
                return try HPKE.Recipient(privateKey: try P384.KeyAgreement.PrivateKey(rawRepresentation: raw), ciphersuite: hpkeSuite, info: info, encapsulatedKey: encapsulated)
            case .p521:
                return try HPKE.Recipient(privateKey: try P521.KeyAgreement.PrivateKey(rawRepresentation: raw), ciphersuite: hpkeSuite, info: info, encapsulatedKey: encapsulated)
            }
        } catch {
            throw MLSError.badInput(.decryptionFailed, "HPKE setup failed: the private key or the \(kemOutput.count)-byte KEM output is malformed", rfc: "§5.1.3")
        }
    }

    // MARK: DeriveKeyPair (RFC 9180 §7.1.3)

    /// The public key of an HPKE private key.
    public func hpkePublicKey(for privateKey: HPKEPrivateKey) throws -> HPKEPublicKey {
        let raw = rawHPKEPrivateKey(privateKey)
        do {
            switch kem {
            case .x25519: return HPKEPublicKey(Array(try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: raw).publicKey.rawRepresentation))
            case .p256: return HPKEPublicKey(Array(try P256.KeyAgreement.PrivateKey(rawRepresentation: raw).publicKey.x963Representation))
            case .p384: return HPKEPublicKey(Array(try P384.KeyAgreement.PrivateKey(rawRepresentation: raw).publicKey.x963Representation))
            case .p521: return HPKEPublicKey(Array(try P521.KeyAgreement.PrivateKey(rawRepresentation: raw).publicKey.x963Representation))
            }
        } catch {
            throw MLSError.badInput(.invalidKey, "a \(raw.count)-byte HPKE private key is not valid for \(suite)")
        }
    }

    /// `KEM.DeriveKeyPair(ikm)` of RFC 9180 §7.1.3, built from swift-crypto's HKDF (swift-crypto has no public API for it).
    ///
    /// X25519: `sk = LabeledExpand(LabeledExtract("", "dkp_prk", ikm), "sk", "", 32)`.
    /// NIST curves: candidates `LabeledExpand(dkp_prk, "candidate", counter, Nsk)`, masked
    /// (0x01 on the first byte for P-521), until one lies in [1, n - 1].
    public func deriveKeyPair(ikm: [UInt8]) throws -> HPKEKeyPair {
        let kemID: UInt16
        let scalarLength: Int
        switch kem {
        case .x25519: (kemID, scalarLength) = (0x0020, 32)
        case .p256: (kemID, scalarLength) = (0x0010, 32)
        case .p384: (kemID, scalarLength) = (0x0011, 48)
        case .p521: (kemID, scalarLength) = (0x0012, 66)
        }
        let suiteID: [UInt8] = Array("KEM".utf8) + [UInt8(kemID >> 8), UInt8(kemID & 0xff)]
        let version = Array("HPKE-v1".utf8)
        // DHKEM uses the KDF of its own KEM; for every supported suite that is the suite's hash.
        let prk = extract(salt: [], ikm: version + suiteID + Array("dkp_prk".utf8) + ikm)
        func labeledExpand(_ label: String, _ info: [UInt8]) -> [UInt8] {
            let lengthPrefix: [UInt8] = [UInt8(scalarLength >> 8), UInt8(scalarLength & 0xff)]
            return expand(prk: prk, info: lengthPrefix + version + suiteID + Array(label.utf8) + info, length: scalarLength)
        }
        let secret: [UInt8]
        switch kem {
        case .x25519:
            secret = labeledExpand("sk", [])
        case .p256, .p384, .p521:
            let order = kem == .p256 ? ECScalar.p256Order : kem == .p384 ? ECScalar.p384Order : ECScalar.p521Order
            var found: [UInt8]?
            for counter in 0...255 {
                var candidate = labeledExpand("candidate", [UInt8(counter)])
                if kem == .p521 { candidate[0] &= 0x01 }
                if ECScalar.isValid(candidate, order: order) {
                    found = candidate
                    break
                }
            }
            guard let found else {
                throw MLSError(.deriveKeyPairFailed, .internal, "DeriveKeyPair found no valid scalar in 256 candidates (RFC 9180 §7.1.3)")
            }
            secret = found
        }
        let privateKey = HPKEPrivateKey(SecretBytes(secret))
        return HPKEKeyPair(privateKey: privateKey, publicKey: try hpkePublicKey(for: privateKey))
    }

    /// A fresh HPKE key pair from `generator` (DeriveKeyPair over `Nh` random bytes).
    public func generateHPKEKeyPair<R: RandomNumberGenerator>(using generator: inout R) throws -> HPKEKeyPair {
        try deriveKeyPair(ikm: randomBytes(hashLength, using: &generator))
    }
}
