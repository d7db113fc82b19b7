import Crypto
import Foundation

/// The payload encryption of age (C2SP age, "Payload"; the STREAM construction of Hoang,
/// Reyhanitabar, Rogaway and Vizár): ChaCha20-Poly1305 over 64 KiB chunks, the nonce an 11-byte
/// big-endian chunk counter and a final-chunk flag, so chunks cannot be reordered, dropped or the
/// stream cut short without the check failing. Used for conversation attachments (IsnadKit) and
/// for evidence files sent to an observatory (``EvidenceEnvelope``).
///
/// ```
/// chunk i  = ChaCha20-Poly1305(key, nonce = i (11 bytes, big-endian) || flag, plaintext[i*64 KiB ..< (i+1)*64 KiB])
/// flag     = 0x01 for the last chunk, else 0x00; an empty file is one empty last chunk
/// ```
public enum ChunkedPayload {
    /// Plaintext bytes per chunk.
    public static let chunkSize = 64 * 1024
    /// The Poly1305 tag after each chunk.
    public static let tagSize = 16

    /// The ciphertext's length for a plaintext of `count` bytes.
    public static func sealedCount(_ count: Int) -> Int {
        let chunks = max(1, (count + chunkSize - 1) / chunkSize)
        return count + chunks * tagSize
    }

    /// Encrypts `plaintext` under `key` (32 bytes).
    /// - Throws: ``WireError/Code/cryptoFailure`` if the provider fails.
    public static func seal(_ plaintext: Data, key: SymmetricKey) throws(WireError) -> Data {
        var output = Data(capacity: sealedCount(plaintext.count))
        var offset = plaintext.startIndex
        var counter: UInt64 = 0
        do {
            repeat {
                let end = min(offset + chunkSize, plaintext.endIndex)
                let isLast = end == plaintext.endIndex
                let box = try ChaChaPoly.seal(plaintext[offset..<end], using: key, nonce: try nonce(counter, isLast: isLast))
                output += box.ciphertext + box.tag
                offset = end
                counter += 1
            } while offset < plaintext.endIndex
        } catch {
            throw WireError(.cryptoFailure, kind: .internalFailure, "chunked encryption failed", specRule: "C2SP age §Payload")
        }
        return output
    }

    /// Decrypts and checks every chunk.
    /// - Throws: ``WireError/Code/decryptionFailed`` if the ciphertext is cut short, reordered, altered or under another key.
    public static func open(_ ciphertext: Data, key: SymmetricKey) throws(WireError) -> Data {
        var output = Data(capacity: ciphertext.count)
        var offset = ciphertext.startIndex
        var counter: UInt64 = 0
        repeat {
            let end = min(offset + chunkSize + tagSize, ciphertext.endIndex)
            let isLast = end == ciphertext.endIndex
            guard end - offset >= tagSize else {
                throw WireError(.decryptionFailed, "the encrypted file is cut short", specRule: "C2SP age §Payload")
            }
            do {
                let box = try ChaChaPoly.SealedBox(nonce: try nonce(counter, isLast: isLast),
                                                   ciphertext: ciphertext[offset..<(end - tagSize)], tag: ciphertext[(end - tagSize)..<end])
                output += try ChaChaPoly.open(box, using: key)
            } catch {
                throw WireError(.decryptionFailed, "the encrypted file failed its check (damaged, tampered with or cut short)",
                                specRule: "C2SP age §Payload")
            }
            offset = end
            counter += 1
        } while offset < ciphertext.endIndex
        return output
    }

    static func nonce(_ counter: UInt64, isLast: Bool) throws -> ChaChaPoly.Nonce {
        var bytes = Data(repeating: 0, count: 3)
        withUnsafeBytes(of: counter.bigEndian) { bytes += $0 }
        bytes.append(isLast ? 1 : 0)
        return try ChaChaPoly.Nonce(data: bytes)
    }
}
