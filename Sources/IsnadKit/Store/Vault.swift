import _CryptoExtras
import Crypto
import Foundation

/// The store's data key and how the passphrase protects it.
///
/// ```
/// passphrase ──scrypt(salt, N, r, p)──▶ wrapping key ──AES-256-GCM──▶ wrapped data key (stored)
/// data key ──AES-256-GCM(aad = "isnad client v1" 0x00 context)──▶ every sealed column
/// ```
///
/// Each sealed value is bound to its place (`context`: table, column and the row's random ID),
/// so a value moved to another row or column no longer opens.
public struct Vault: Sendable {
    /// The scrypt cost parameters, stored beside the wrapped key so they can be raised later.
    public struct Parameters: Codable, Sendable, Equatable {
        public var rounds: Int
        public var blockSize: Int
        public var parallelism: Int
        /// N = 2^15, r = 8, p = 1: about 32 MiB and a tenth of a second, the interactive-login
        /// cost RFC 7914 §2 suggests.
        public static let standard = Parameters(rounds: 1 << 15, blockSize: 8, parallelism: 1)
    }

    /// What is stored to reopen the vault: salt, parameters, the wrapped data key.
    public struct Wrapped: Codable, Sendable, Equatable {
        public var version: Int
        public var salt: Data
        public var parameters: Parameters
        public var wrappedKey: Data
    }

    let dataKey: SymmetricKey

    /// A new vault with a fresh random data key, wrapped under `passphrase`.
    public static func create(passphrase: String, parameters: Parameters = .standard) throws -> (Vault, Wrapped) {
        let dataKey = SymmetricKey(size: .bits256)
        let salt = Data((0..<16).map { _ in UInt8.random(in: .min ... .max) })
        let wrapping = try wrappingKey(passphrase: passphrase, salt: salt, parameters: parameters)
        let sealed = try dataKey.withUnsafeBytes { raw in
            try AES.GCM.seal(Data(raw), using: wrapping, authenticating: Data(wrapLabel.utf8)).combined
        }
        guard let sealed else { throw ClientError(.storeDamaged, "The data key could not be sealed.") }
        return (Vault(dataKey: dataKey), Wrapped(version: 1, salt: salt, parameters: parameters, wrappedKey: sealed))
    }

    /// Opens a vault; a passphrase that does not unwrap the data key is `wrongPassphrase`.
    public static func open(_ wrapped: Wrapped, passphrase: String) throws -> Vault {
        guard wrapped.version == 1 else {
            throw ClientError(.storeDamaged, "The store was written by a newer version of isnad (key format \(wrapped.version)).")
        }
        let wrapping = try wrappingKey(passphrase: passphrase, salt: wrapped.salt, parameters: wrapped.parameters)
        do {
            let box = try AES.GCM.SealedBox(combined: wrapped.wrappedKey)
            let raw = try AES.GCM.open(box, using: wrapping, authenticating: Data(wrapLabel.utf8))
            return Vault(dataKey: SymmetricKey(data: raw))
        } catch {
            throw ClientError(.wrongPassphrase, "The passphrase is wrong for this home folder.")
        }
    }

    /// Encrypts `plaintext` for the place named by `context`.
    public func seal(_ plaintext: Data, context: String) throws -> Data {
        guard let combined = try AES.GCM.seal(plaintext, using: dataKey, authenticating: Self.aad(context)).combined else {
            throw ClientError(.storeDamaged, "A value could not be sealed.")
        }
        return combined
    }

    /// Decrypts a value sealed for `context`; anything else is `storeDamaged`.
    public func open(_ sealed: Data, context: String) throws -> Data {
        do {
            return try AES.GCM.open(try AES.GCM.SealedBox(combined: sealed), using: dataKey, authenticating: Self.aad(context))
        } catch {
            throw ClientError(.storeDamaged, "A value in the store is damaged and could not be decrypted.")
        }
    }

    /// Seals a Codable value as JSON.
    public func seal<T: Encodable>(json value: T, context: String) throws -> Data {
        try seal(try JSONEncoder().encode(value), context: context)
    }

    /// Opens a value sealed by ``seal(json:context:)``.
    public func open<T: Decodable>(_ type: T.Type, _ sealed: Data, context: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: try open(sealed, context: context))
        } catch let error as ClientError {
            throw error
        } catch {
            throw ClientError(.storeDamaged, "A value in the store has an unknown shape.")
        }
    }

    private static let wrapLabel = "isnad client v1 data key"

    private static func aad(_ context: String) -> Data {
        Data("isnad client v1".utf8) + [0] + Data(context.utf8)
    }

    private static func wrappingKey(passphrase: String, salt: Data, parameters: Parameters) throws -> SymmetricKey {
        SymmetricKey(data: try derive(passphrase: passphrase, salt: salt, parameters: parameters, outputByteCount: 32))
    }

    /// scrypt (RFC 7914) through swift-crypto's _CryptoExtras.
    static func derive(passphrase: String, salt: Data, parameters: Parameters, outputByteCount: Int) throws -> Data {
        do {
            let key = try KDF.Scrypt.deriveKey(from: Data(passphrase.utf8), salt: salt, outputByteCount: outputByteCount, rounds: parameters.rounds,
                                               blockSize: parameters.blockSize, parallelism: parameters.parallelism)
            return key.withUnsafeBytes { Data($0) }
        } catch {
            throw ClientError(.storeDamaged, "The key could not be derived from the passphrase (scrypt parameters out of range).")
        }
    }
}
