import Crypto
import Foundation

/// HPKE `SealBase` (RFC 9180 §5.1, §6.1) to many recipients under one `info`, built from
/// swift-crypto's key agreement, HKDF and AEAD.
///
/// swift-crypto's `HPKE.Sender` hashes `info` again for every recipient (`info_hash` of the
/// key schedule, §5.1). A Welcome encrypts its GroupSecrets to every new member with the
/// encrypted GroupInfo — the whole ratchet tree, hundreds of kilobytes — as `info`, so at a
/// thousand new members that hashing dominated. Here `key_schedule_context` is computed once;
/// per recipient remain the DHKEM encapsulation (a fresh ephemeral key from swift-crypto, as
/// in `HPKE.Sender`), `ExtractAndExpand`, two `LabeledExpand`s and one AEAD seal. Recipients
/// are spread over the cores. `HPKEMultiSenderTests` opens every output with swift-crypto's
/// `HPKE.Recipient`, for every supported suite.
struct HPKEMultiSender: Sendable {
    private let provider: CipherSuiteProvider
    private let kemSuiteID: [UInt8]
    private let hpkeSuiteID: [UInt8]
    private let keyScheduleContext: [UInt8]
    private let sharedSecretLength: Int

    private static let version = Array("HPKE-v1".utf8)

    init(_ provider: CipherSuiteProvider, info: [UInt8]) {
        self.provider = provider
        // Every supported suite's KEM uses the suite's own hash as its KDF (RFC 9180 §7.1).
        let (kemID, kdfID): (UInt16, UInt16) = switch provider.kem {
        case .x25519: (0x0020, 0x0001)
        case .p256: (0x0010, 0x0001)
        case .p384: (0x0011, 0x0002)
        case .p521: (0x0012, 0x0003)
        }
        let aeadID: UInt16 = switch provider.aead {
        case .aes128GCM: 0x0001
        case .aes256GCM: 0x0002
        case .chaCha20Poly1305: 0x0003
        }
        func be16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xff)] }
        kemSuiteID = Array("KEM".utf8) + be16(kemID)
        hpkeSuiteID = Array("HPKE".utf8) + be16(kemID) + be16(kdfID) + be16(aeadID)
        sharedSecretLength = provider.hashLength
        let pskIDHash = Self.labeledExtract(provider, suiteID: hpkeSuiteID, salt: [], label: "psk_id_hash", ikm: [])
        let infoHash = Self.labeledExtract(provider, suiteID: hpkeSuiteID, salt: [], label: "info_hash", ikm: info)
        keyScheduleContext = [0x00] + pskIDHash + infoHash  // mode_base
    }

    /// Seals `plaintexts[i]` to `publicKeys[i]` with empty AAD: `HPKECiphertext { enc, ct }`.
    func seal(to publicKeys: [HPKEPublicKey], _ plaintexts: [[UInt8]]) throws -> [HPKECiphertext] {
        precondition(publicKeys.count == plaintexts.count, "one plaintext per recipient")
        return try ParallelWork.map(publicKeys.count) { try seal(to: publicKeys[$0], plaintexts[$0]) }
    }

    func seal(to publicKey: HPKEPublicKey, _ plaintext: [UInt8]) throws -> HPKECiphertext {
        let (enc, dh) = try encapsulate(publicKey)
        // DHKEM ExtractAndExpand (§4.1), kem_context = enc || pkRm.
        let eaePRK = Self.labeledExtract(provider, suiteID: kemSuiteID, salt: [], label: "eae_prk", ikm: dh)
        let sharedSecret = labeledExpand(eaePRK, suiteID: kemSuiteID, label: "shared_secret", info: enc + publicKey.bytes, length: sharedSecretLength)
        // KeySchedule (§5.1) with the default empty PSK.
        let secret = Self.labeledExtract(provider, suiteID: hpkeSuiteID, salt: sharedSecret, label: "secret", ikm: [])
        let key = labeledExpand(secret, suiteID: hpkeSuiteID, label: "key", info: keyScheduleContext, length: provider.aeadKeyLength)
        let baseNonce = labeledExpand(secret, suiteID: hpkeSuiteID, label: "base_nonce", info: keyScheduleContext, length: provider.aeadNonceLength)
        // The first (and only) message uses sequence number 0: nonce = base_nonce.
        return HPKECiphertext(kemOutput: enc, ciphertext: try provider.seal(key: key, nonce: baseNonce, aad: [], plaintext: plaintext))
    }

    /// DHKEM Encap's key agreement: a fresh ephemeral key, its serialized public key and the DH output.
    private func encapsulate(_ publicKey: HPKEPublicKey) throws -> (enc: [UInt8], dh: [UInt8]) {
        func bytes(_ secret: SharedSecret) -> [UInt8] { secret.withUnsafeBytes { Array($0) } }
        do {
            switch provider.kem {
            case .x25519:
                let recipient = try Curve25519.KeyAgreement.PublicKey(rawRepresentation: publicKey.bytes)
                let ephemeral = Curve25519.KeyAgreement.PrivateKey()
                return (Array(ephemeral.publicKey.rawRepresentation), bytes(try ephemeral.sharedSecretFromKeyAgreement(with: recipient)))
            case .p256:
                let recipient = try P256.KeyAgreement.PublicKey(x963Representation: publicKey.bytes)
                let ephemeral = P256.KeyAgreement.PrivateKey()
                return (Array(ephemeral.publicKey.x963Representation), bytes(try ephemeral.sharedSecretFromKeyAgreement(with: recipient)))
            case .p384:
                let recipient = try P384.KeyAgreement.PublicKey(x963Representation: publicKey.bytes)
                let ephemeral = P384.KeyAgreement.PrivateKey()
                return (Array(ephemeral.publicKey.x963Representation), bytes(try ephemeral.sharedSecretFromKeyAgreement(with: recipient)))
            case .p521:
                let recipient = try P521.KeyAgreement.PublicKey(x963Representation: publicKey.bytes)
                let ephemeral = P521.KeyAgreement.PrivateKey()
                return (Array(ephemeral.publicKey.x963Representation), bytes(try ephemeral.sharedSecretFromKeyAgreement(with: recipient)))
            }
        } catch {
            throw MLSError.badInput(.invalidKey, "a \(publicKey.bytes.count)-byte HPKE public key is not a valid key for \(provider.suite)")
        }
    }

    /// `LabeledExtract(salt, label, ikm) = Extract(salt, "HPKE-v1" || suite_id || label || ikm)` (§4).
    private static func labeledExtract(_ provider: CipherSuiteProvider, suiteID: [UInt8], salt: [UInt8], label: String, ikm: [UInt8]) -> [UInt8] {
        var input: [UInt8] = []
        input.reserveCapacity(version.count + suiteID.count + label.utf8.count + ikm.count)
        input += version
        input += suiteID
        input += Array(label.utf8)
        input += ikm
        return provider.extract(salt: salt, ikm: input)
    }

    /// `LabeledExpand(prk, label, info, L) = Expand(prk, I2OSP(L, 2) || "HPKE-v1" || suite_id || label || info, L)` (§4).
    private func labeledExpand(_ prk: [UInt8], suiteID: [UInt8], label: String, info: [UInt8], length: Int) -> [UInt8] {
        let labeledInfo = [UInt8(length >> 8), UInt8(length & 0xff)] + Self.version + suiteID + Array(label.utf8) + info
        return provider.expand(prk: prk, info: labeledInfo, length: length)
    }
}

extension CipherSuiteProvider {
    /// `EncryptWithLabel(public_key[i], label, context, plaintext[i])` (§5.1.3) for many
    /// recipients sharing one label and context: the HPKE key-schedule context is computed once
    /// and the recipients are spread over the cores. Outputs are in the order of the inputs.
    public func encryptWithLabel(_ publicKeys: [HPKEPublicKey], label: String, context: [UInt8], plaintexts: [[UInt8]]) throws -> [HPKECiphertext] {
        guard publicKeys.count == plaintexts.count else {
            throw MLSError.misuse(.invalidLength, "\(publicKeys.count) public keys for \(plaintexts.count) plaintexts")
        }
        guard !publicKeys.isEmpty else { return [] }
        return try HPKEMultiSender(self, info: Self.labeled(label, context)).seal(to: publicKeys, plaintexts)
    }
}
