import Crypto
import IsnadTransparency
import IsnadWire
import Testing

struct CommitmentTests {
    @Test("the commitment is SHA-256(label || salt || signed report) and its leaf hash is RFC 9162's")
    func documentedConstruction() throws {
        let signed = try Fixtures.signedSample()
        var g = SeededGenerator(seed: 3)
        let opening = CommitmentOpening.make(for: signed, using: &g)
        #expect(opening.salt.count == 32)
        #expect(opening.signedReportBytes == signed.encoded)
        let expected = Array(SHA256.hash(data: Array("isnad report commitment v1".utf8) + opening.salt + signed.encoded))
        #expect(opening.commitment.bytes == expected)
        #expect(opening.commitment.leafHash == Array(SHA256.hash(data: [0] + expected)))
        try opening.verify(opening.commitment)
    }

    @Test("fresh salts hide equal reports; a changed salt or report does not open the commitment")
    func hidingAndBinding() throws {
        let signed = try Fixtures.signedSample()
        var g = SeededGenerator(seed: 4)
        let first = CommitmentOpening.make(for: signed, using: &g)
        let second = CommitmentOpening.make(for: signed, using: &g)
        #expect(first.salt != second.salt)
        #expect(first.commitment != second.commitment)
        expectWireError(.commitmentMismatch) { try second.verify(first.commitment) }
        for index in [0, 15, 31] {
            var salt = first.salt
            salt[index] ^= 1
            expectWireError(.commitmentMismatch) { try CommitmentOpening(salt: salt, signedReportBytes: signed.encoded).verify(first.commitment) }
        }
        var bytes = signed.encoded
        bytes[bytes.count / 2] ^= 1
        expectWireError(.commitmentMismatch) { try CommitmentOpening(salt: first.salt, signedReportBytes: bytes).verify(first.commitment) }
        expectWireError(.malformed) { _ = try CommitmentOpening(salt: [1], signedReportBytes: bytes) }
        expectWireError(.malformed) { _ = try ReportCommitment(bytes: Array(repeating: 0, count: 31)) }
    }
}
