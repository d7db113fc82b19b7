import Crypto
import Foundation
@testable import IsnadKit
import Testing

/// Files' chunked encryption (age's payload STREAM): round trips, and every way a relay could
/// cut, reorder or change the ciphertext is caught.
@Suite("Chunked file encryption")
struct ChunkedCipherTests {
    let key = SymmetricKey(data: Data(repeating: 0x42, count: 32))
    let chunk = ChunkedCipher.chunkSize
    let tag = ChunkedCipher.tagSize

    @Test("round trips at and around chunk boundaries", arguments: [0, 1, 65_535, 65_536, 65_537, 200_000])
    func roundTrip(size: Int) throws {
        let plaintext = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 131) })
        let sealed = try ChunkedCipher.seal(plaintext, key: key)
        #expect(sealed.count == ChunkedCipher.sealedCount(size))
        #expect(try ChunkedCipher.open(sealed, key: key) == plaintext)
    }

    @Test("cut at a chunk boundary, chunks swapped, a bit flipped or another key: refused")
    func tampering() throws {
        let plaintext = Data((0..<(3 * chunk)).map { UInt8(truncatingIfNeeded: $0) })
        let sealed = try ChunkedCipher.seal(plaintext, key: key)
        let piece = chunk + tag
        // Dropping the last whole chunk leaves valid chunks, but none marked last.
        let cut = sealed.prefix(2 * piece)
        let swapped = sealed[piece..<(2 * piece)] + sealed[0..<piece] + sealed[(2 * piece)...]
        var flipped = sealed
        flipped[flipped.startIndex + 10] ^= 1
        for bad in [Data(cut), Data(swapped), flipped] {
            #expect(throws: ClientError.self) { try ChunkedCipher.open(bad, key: key) }
        }
        #expect(throws: ClientError.self) { try ChunkedCipher.open(sealed, key: SymmetricKey(size: .bits256)) }
    }
}
