import Crypto
import Foundation
import IsnadWire

/// Attachments' chunked encryption: ``ChunkedPayload`` (age's payload STREAM, 64 KiB chunks) with
/// its failures reported as client errors.
enum ChunkedCipher {
    static let chunkSize = ChunkedPayload.chunkSize
    static let tagSize = ChunkedPayload.tagSize

    /// The ciphertext's length for a plaintext of `count` bytes.
    static func sealedCount(_ count: Int) -> Int { ChunkedPayload.sealedCount(count) }

    static func seal(_ plaintext: Data, key: SymmetricKey) throws -> Data {
        try ChunkedPayload.seal(plaintext, key: key)
    }

    static func open(_ ciphertext: Data, key: SymmetricKey) throws -> Data {
        do { return try ChunkedPayload.open(ciphertext, key: key) } catch {
            throw ClientError(.badMessage, "An attachment failed its check (damaged, tampered with or cut short).")
        }
    }
}
