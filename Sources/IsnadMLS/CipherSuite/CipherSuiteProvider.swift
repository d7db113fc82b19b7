import Crypto
import Foundation

/// The cryptographic operations of one cipher suite (RFC 9420 §5), built on swift-crypto alone.
///
/// ```
/// suite ──▶ hash (SHA-256/384/512) ── MAC = HMAC, KDF = HKDF
///       ──▶ AEAD (AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305)
///       ──▶ KEM (DHKEM X25519, P-256, P-384, P-521) for HPKE (RFC 9180)
///       ──▶ signature (Ed25519, ECDSA P-256/P-384/P-521, DER-encoded)
/// ```
public struct CipherSuiteProvider: Sendable {
    enum Hash: Sendable { case sha256, sha384, sha512 }
    enum AEAD: Sendable { case aes128GCM, aes256GCM, chaCha20Poly1305 }
    enum KEM: Sendable { case x25519, p256, p384, p521 }
    enum Signature: Sendable { case ed25519, p256, p384, p521 }

    /// The suite these operations implement.
    public let suite: CipherSuite
    let hash: Hash
    let aead: AEAD
    let kem: KEM
    let signature: Signature
    let hpkeSuite: HPKE.Ciphersuite

    /// `KDF.Nh`: the output size of the hash and of `KDF.Extract`, in bytes.
    public let hashLength: Int
    /// `AEAD.Nk`: the AEAD key size in bytes.
    public let aeadKeyLength: Int
    /// `AEAD.Nn`: the AEAD nonce size in bytes.
    public let aeadNonceLength: Int = 12

    /// Operations for `suite`.
    /// - Throws: ``MLSError`` `.unsupportedCipherSuite` for 0x0004, 0x0006 (X448/Ed448, absent from
    ///   swift-crypto) and unknown values.
    public init(_ suite: CipherSuite) throws {
        self.suite = suite
        switch suite {
        case .x25519AES128GCMSHA256Ed25519:
            (hash, aead, kem, signature) = (.sha256, .aes128GCM, .x25519, .ed25519)
            hpkeSuite = HPKE.Ciphersuite(kem: .Curve25519_HKDF_SHA256, kdf: .HKDF_SHA256, aead: .AES_GCM_128)
        case .p256AES128GCMSHA256P256:
            (hash, aead, kem, signature) = (.sha256, .aes128GCM, .p256, .p256)
            hpkeSuite = HPKE.Ciphersuite(kem: .P256_HKDF_SHA256, kdf: .HKDF_SHA256, aead: .AES_GCM_128)
        case .x25519ChaCha20Poly1305SHA256Ed25519:
            (hash, aead, kem, signature) = (.sha256, .chaCha20Poly1305, .x25519, .ed25519)
            hpkeSuite = HPKE.Ciphersuite(kem: .Curve25519_HKDF_SHA256, kdf: .HKDF_SHA256, aead: .chaChaPoly)
        case .p521AES256GCMSHA512P521:
            (hash, aead, kem, signature) = (.sha512, .aes256GCM, .p521, .p521)
            hpkeSuite = HPKE.Ciphersuite(kem: .P521_HKDF_SHA512, kdf: .HKDF_SHA512, aead: .AES_GCM_256)
        case .p384AES256GCMSHA384P384:
            (hash, aead, kem, signature) = (.sha384, .aes256GCM, .p384, .p384)
            hpkeSuite = HPKE.Ciphersuite(kem: .P384_HKDF_SHA384, kdf: .HKDF_SHA384, aead: .AES_GCM_256)
        default:
            throw MLSError(.unsupportedCipherSuite, .unsupported,
                           "cipher suite \(suite.hexValue) (\(suite)) is not supported: swift-crypto has no X448/Ed448, and other values are unknown",
                           rfc: "§5.1")
        }
        switch hash {
        case .sha256: hashLength = 32
        case .sha384: hashLength = 48
        case .sha512: hashLength = 64
        }
        aeadKeyLength = aead == .aes128GCM ? 16 : 32
    }

    // MARK: Hash, MAC, KDF

    /// `Hash(data)`.
    public func hash<D: DataProtocol>(_ data: D) -> [UInt8] {
        switch hash {
        case .sha256: Array(SHA256.hash(data: data))
        case .sha384: Array(SHA384.hash(data: data))
        case .sha512: Array(SHA512.hash(data: data))
        }
    }

    /// `MAC(key, data)`: HMAC with the suite's hash.
    public func mac<D: DataProtocol>(key: [UInt8], data: D) -> [UInt8] {
        let key = SymmetricKey(data: key)
        return switch hash {
        case .sha256: Array(HMAC<SHA256>.authenticationCode(for: data, using: key))
        case .sha384: Array(HMAC<SHA384>.authenticationCode(for: data, using: key))
        case .sha512: Array(HMAC<SHA512>.authenticationCode(for: data, using: key))
        }
    }

    /// Checks `tag == MAC(key, data)` in constant time.
    public func verifyMAC<D: DataProtocol>(key: [UInt8], data: D, tag: [UInt8]) -> Bool {
        let key = SymmetricKey(data: key)
        return switch hash {
        case .sha256: HMAC<SHA256>.isValidAuthenticationCode(tag, authenticating: data, using: key)
        case .sha384: HMAC<SHA384>.isValidAuthenticationCode(tag, authenticating: data, using: key)
        case .sha512: HMAC<SHA512>.isValidAuthenticationCode(tag, authenticating: data, using: key)
        }
    }

    /// `KDF.Extract(salt, ikm)` (HKDF-Extract, RFC 5869).
    public func extract(salt: [UInt8], ikm: [UInt8]) -> [UInt8] {
        let ikm = SymmetricKey(data: ikm)
        return switch hash {
        case .sha256: Array(HKDF<SHA256>.extract(inputKeyMaterial: ikm, salt: salt))
        case .sha384: Array(HKDF<SHA384>.extract(inputKeyMaterial: ikm, salt: salt))
        case .sha512: Array(HKDF<SHA512>.extract(inputKeyMaterial: ikm, salt: salt))
        }
    }

    /// `KDF.Expand(prk, info, length)` (HKDF-Expand, RFC 5869).
    public func expand(prk: [UInt8], info: [UInt8], length: Int) -> [UInt8] {
        if length <= hashLength { return expandShort(prk: prk, infos: [info], length: { _ in length })[0] }
        let key = switch hash {
        case .sha256: HKDF<SHA256>.expand(pseudoRandomKey: prk, info: info, outputByteCount: length)
        case .sha384: HKDF<SHA384>.expand(pseudoRandomKey: prk, info: info, outputByteCount: length)
        case .sha512: HKDF<SHA512>.expand(pseudoRandomKey: prk, info: info, outputByteCount: length)
        }
        return key.withUnsafeBytes { Array($0) }
    }

    /// HKDF-Expand of one PRK with several infos, each output at most `Nh` bytes long. For such
    /// lengths HKDF-Expand is its first block, `T(1) = HMAC(PRK, info || 0x01)` (RFC 5869 §2.3),
    /// so the HMAC key schedule (two hash blocks) is computed once and shared by the outputs.
    func expandShort(prk: [UInt8], infos: [[UInt8]], length: (Int) -> Int) -> [[UInt8]] {
        switch hash {
        case .sha256: Self.expandShort(HMAC<SHA256>(key: SymmetricKey(data: prk)), infos, length)
        case .sha384: Self.expandShort(HMAC<SHA384>(key: SymmetricKey(data: prk)), infos, length)
        case .sha512: Self.expandShort(HMAC<SHA512>(key: SymmetricKey(data: prk)), infos, length)
        }
    }

    private static let firstBlockCounter: [UInt8] = [1]

    private static func expandShort<H: HashFunction>(_ keyed: HMAC<H>, _ infos: [[UInt8]], _ length: (Int) -> Int) -> [[UInt8]] {
        infos.indices.map { index in
            var hmac = keyed  // a value: each copy continues from the keyed state on its own
            hmac.update(data: infos[index])
            hmac.update(data: Self.firstBlockCounter)
            return Array(hmac.finalize().prefix(length(index)))
        }
    }

    /// `ExpandWithLabel(secret, label, context, length)` (§8): HKDF-Expand over
    /// `KDFLabel { uint16 length; opaque label<V> = "MLS 1.0 " + label; opaque context<V>; }`.
    public func expandWithLabel(secret: [UInt8], label: String, context: [UInt8], length: Int) -> [UInt8] {
        expand(prk: secret, info: Self.kdfLabel(label: label.utf8, context: context, length: length), length: length)
    }

    /// `ExpandWithLabel` with a label given as bytes (the exporter takes arbitrary byte labels).
    public func expandWithLabel(secret: [UInt8], labelBytes: [UInt8], context: [UInt8], length: Int) -> [UInt8] {
        expand(prk: secret, info: Self.kdfLabel(label: labelBytes, context: context, length: length), length: length)
    }

    /// `DeriveSecret(secret, label)` = `ExpandWithLabel(secret, label, "", KDF.Nh)` (§8).
    public func deriveSecret(_ secret: [UInt8], label: String) -> [UInt8] {
        expandWithLabel(secret: secret, label: label, context: [], length: hashLength)
    }

    /// `DeriveTreeSecret(secret, label, generation, length)` (§9.1): the generation is the context, as a big-endian uint32.
    public func deriveTreeSecret(_ secret: [UInt8], label: String, generation: UInt32, length: Int) -> [UInt8] {
        expand(prk: secret, info: Self.treeSecretLabel(label, generation: generation, length: length), length: length)
    }

    /// One step of a hash ratchet (§9.1): `DeriveTreeSecret` of "nonce", "key" and "secret" from
    /// the same secret and generation, sharing one HMAC key schedule.
    func ratchetStep(_ secret: [UInt8], generation: UInt32) -> (nonce: [UInt8], key: [UInt8], next: [UInt8]) {
        let lengths = [aeadNonceLength, aeadKeyLength, hashLength]
        let infos = zip(["nonce", "key", "secret"], lengths).map { Self.treeSecretLabel($0, generation: generation, length: $1) }
        let out = expandShort(prk: secret, infos: infos, length: { lengths[$0] })
        return (out[0], out[1], out[2])
    }

    /// The KDFLabel of DeriveTreeSecret, with the 4-byte generation as context, built in one buffer.
    private static func treeSecretLabel(_ label: String, generation: UInt32, length: Int) -> [UInt8] {
        var encoder = TLSEncoder(capacity: 16 + label.utf8.count)
        encoder.write(UInt16(truncatingIfNeeded: length))
        encoder.writeLabel(label)
        encoder.write(UInt8(4))
        encoder.write(generation)
        return encoder.bytes
    }

    /// The encoded `KDFLabel` struct of §8.
    static func kdfLabel<L: Collection>(label: L, context: [UInt8], length: Int) -> [UInt8] where L.Element == UInt8 {
        var encoder = TLSEncoder(capacity: 16 + label.count + context.count)
        encoder.write(UInt16(truncatingIfNeeded: length))
        encoder.writeLabel(label)
        encoder.writeOpaque(context)
        return encoder.bytes
    }

    // MARK: Hash-based identifiers (§5.2)

    /// `RefHash(label, value)` = `Hash(RefHashInput { opaque label<V>; opaque value<V>; })`. The label is used as given.
    public func refHash(label: String, value: [UInt8]) -> [UInt8] {
        var encoder = TLSEncoder(capacity: value.count + label.utf8.count + 8)
        encoder.writeOpaque(Array(label.utf8))
        encoder.writeOpaque(value)
        return hash(encoder.bytes)
    }

    /// `MakeKeyPackageRef(value)` over an encoded KeyPackage (§5.2).
    public func makeKeyPackageRef(_ encodedKeyPackage: [UInt8]) -> [UInt8] {
        refHash(label: "MLS 1.0 KeyPackage Reference", value: encodedKeyPackage)
    }

    /// `MakeProposalRef(value)` over an encoded AuthenticatedContent carrying a Proposal (§5.2).
    public func makeProposalRef(_ encodedAuthenticatedContent: [UInt8]) -> [UInt8] {
        refHash(label: "MLS 1.0 Proposal Reference", value: encodedAuthenticatedContent)
    }

    // MARK: AEAD

    /// Seals `plaintext` with the suite's AEAD; returns ciphertext followed by the tag.
    public func seal(key: [UInt8], nonce: [UInt8], aad: [UInt8], plaintext: [UInt8]) throws -> [UInt8] {
        do {
            let symmetricKey = SymmetricKey(data: key)
            switch aead {
            case .aes128GCM, .aes256GCM:
                let box = try AES.GCM.seal(plaintext, using: symmetricKey, nonce: AES.GCM.Nonce(data: nonce), authenticating: aad)
                return Self.joined(box.ciphertext, box.tag)
            case .chaCha20Poly1305:
                let box = try ChaChaPoly.seal(plaintext, using: symmetricKey, nonce: ChaChaPoly.Nonce(data: nonce), authenticating: aad)
                return Self.joined(box.ciphertext, box.tag)
            }
        } catch {
            throw MLSError(.primitiveFailed, .internal, "AEAD seal failed with a \(key.count)-byte key and \(nonce.count)-byte nonce")
        }
    }

    /// `ciphertext || tag` in one allocation.
    private static func joined(_ ciphertext: Data, _ tag: Data) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(ciphertext.count + tag.count)
        out.append(contentsOf: ciphertext)
        out.append(contentsOf: tag)
        return out
    }

    /// Opens a ciphertext-and-tag sealed with ``seal(key:nonce:aad:plaintext:)``.
    /// - Throws: ``MLSError`` `.decryptionFailed` when the tag does not verify or the input is too short.
    public func open(key: [UInt8], nonce: [UInt8], aad: [UInt8], ciphertext: [UInt8]) throws -> [UInt8] {
        guard ciphertext.count >= 16 else {
            throw MLSError.badInput(.decryptionFailed, "ciphertext of \(ciphertext.count) bytes is shorter than the 16-byte AEAD tag")
        }
        let body = ciphertext[..<(ciphertext.count - 16)]
        let tag = ciphertext[(ciphertext.count - 16)...]
        do {
            let symmetricKey = SymmetricKey(data: key)
            switch aead {
            case .aes128GCM, .aes256GCM:
                let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: nonce), ciphertext: body, tag: tag)
                return Array(try AES.GCM.open(box, using: symmetricKey, authenticating: aad))
            case .chaCha20Poly1305:
                let box = try ChaChaPoly.SealedBox(nonce: ChaChaPoly.Nonce(data: nonce), ciphertext: body, tag: tag)
                return Array(try ChaChaPoly.open(box, using: symmetricKey, authenticating: aad))
            }
        } catch {
            throw MLSError.badInput(.decryptionFailed, "AEAD authentication failed: the ciphertext, its tag, the key or the associated data is wrong")
        }
    }
}

extension TLSEncoder {
    /// Writes `opaque label<V> = "MLS 1.0 " + label`.
    mutating func writeLabel(_ label: String) { writeLabel(label.utf8) }

    /// Writes `opaque label<V> = "MLS 1.0 " + label` for a label given as bytes.
    mutating func writeLabel<L: Collection>(_ utf8: L) where L.Element == UInt8 {
        let prefix: StaticString = "MLS 1.0 "
        let total = prefix.utf8CodeUnitCount + utf8.count
        TLSEncoder.appendVarint(UInt32(truncatingIfNeeded: total), to: &bytes)
        prefix.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: utf8)
    }
}
