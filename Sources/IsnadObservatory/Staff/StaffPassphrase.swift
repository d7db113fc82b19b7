import _CryptoExtras
import Crypto
import Foundation

/// A staff member's passphrase as stored: scrypt (swift-crypto's `KDF.Scrypt`) with a random salt.
///
/// Encoding: `version (1) ‖ log2 N (1) ‖ r (1) ‖ p (1) ‖ salt (16) ‖ key (32)`, so the cost can
/// rise later without breaking stored accounts.
public enum StaffPassphrase {
    static let version: UInt8 = 1
    static let saltCount = 16
    static let keyCount = 32
    /// log2 of scrypt's N: 2^15 rounds, r = 8, p = 1 (32 MiB, the RFC 7914 interactive-login order of magnitude).
    public static let defaultLogRounds: UInt8 = 15

    /// Hashes a passphrase for storage.
    /// - Throws: ``ObservatoryError/Code/malformedRequest`` for a passphrase under 10 characters.
    public static func hash(_ passphrase: String, logRounds: UInt8 = defaultLogRounds) throws -> Data {
        guard passphrase.count >= 10 else {
            throw ObservatoryError(.malformedRequest, "A staff passphrase has at least 10 characters.")
        }
        var salt = [UInt8](repeating: 0, count: saltCount)
        var generator = SystemRandomNumberGenerator()
        for index in salt.indices { salt[index] = generator.next() }
        let key = try derive(passphrase, salt: salt, logRounds: logRounds, blockSize: 8, parallelism: 1)
        return Data([version, logRounds, 8, 1] + salt + key)
    }

    /// Whether `passphrase` is the one `stored` was made from; the comparison takes constant time.
    public static func matches(_ passphrase: String, stored: Data) -> Bool {
        let bytes = Array(stored)
        guard bytes.count == 4 + saltCount + keyCount, bytes[0] == version, (10...20).contains(bytes[1]), bytes[2] == 8, bytes[3] == 1,
            let key = try? derive(passphrase, salt: Array(bytes[4..<(4 + saltCount)]), logRounds: bytes[1], blockSize: 8, parallelism: 1)
        else { return false }
        return ConstantTimeBytes.equal(key, Array(bytes[(4 + saltCount)...]))
    }

    static func derive(_ passphrase: String, salt: [UInt8], logRounds: UInt8, blockSize: Int, parallelism: Int) throws -> [UInt8] {
        let key = try KDF.Scrypt.deriveKey(
            from: Array(passphrase.utf8), salt: salt, outputByteCount: keyCount, rounds: 1 << Int(logRounds), blockSize: blockSize,
            parallelism: parallelism)
        return key.withUnsafeBytes { Array($0) }
    }
}
