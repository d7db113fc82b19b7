import Crypto
import Foundation
import IsnadStore
import Testing

/// The submission digest is stored with every submission and compared with a retry's: its bytes
/// must never change, or retries of submissions stored before a change would be refused as a
/// reused message ID.
@Suite("Submission digest")
struct SubmissionDigestTests {
    /// The digest as specified, written out independently: SHA-256 over fields that each carry
    /// their length as a 64-bit big-endian prefix: "isnad-submission-v1", the context, then for
    /// each delivery its distinct recipients' 16-byte IDs in ascending byte order, and its payload.
    static func specified(_ submission: Submission, context: Data) -> Data {
        var input = Data()
        func field(_ bytes: Data) {
            var length = UInt64(bytes.count).bigEndian
            input.append(Data(bytes: &length, count: 8))
            input.append(bytes)
        }
        field(Data("isnad-submission-v1".utf8))
        field(context)
        for delivery in submission.deliveries {
            let ids = Set(delivery.recipients.map { withUnsafeBytes(of: $0.uuid.uuid) { Data($0) } })
            field(ids.sorted { $0.lexicographicallyPrecedes($1) }.reduce(Data(), +))
            field(delivery.payload)
        }
        return Data(SHA256.hash(data: input))
    }

    @Test("is SHA-256 over the length-prefixed fields, for one recipient, several, repeated ones and several deliveries")
    func layout() {
        let a = DeviceID.random(), b = DeviceID.random(), c = DeviceID.random()
        let deliveries: [[Submission.Delivery]] = [
            [.init(recipients: [a], payload: Data("one".utf8))],
            [.init(recipients: [c, a, b], payload: Data(repeating: 7, count: 1024))],
            [.init(recipients: [b, a, b, a], payload: Data())],
            [.init(recipients: [a], payload: Data([1])), .init(recipients: [c, b], payload: Data([2, 3]))],
        ]
        for (index, list) in deliveries.enumerated() {
            let submission = Submission(id: .random(), deliveries: list, expiresAt: Date(timeIntervalSince1970: 1_700_000_000))
            for context in [Data(), Data("group-and-epoch".utf8)] {
                #expect(submission.digest(context: context) == Self.specified(submission, context: context), "deliveries \(index)")
            }
        }
    }

    @Test("does not depend on the order or repetition of recipients, and counts each mailbox once")
    func recipients() {
        let a = DeviceID.random(), b = DeviceID.random()
        let expiry = Date(timeIntervalSince1970: 1_700_000_000)
        let id = MessageID.random()
        let one = Submission(id: id, deliveries: [.init(recipients: [a, b], payload: Data([9]))], expiresAt: expiry)
        let other = Submission(id: id, deliveries: [.init(recipients: [b, a, b], payload: Data([9]))], expiresAt: expiry)
        #expect(one.digest() == other.digest())
        #expect(other.recipientCount == 2)
        #expect(other.deliveries[0].mailboxes == [a, b].sorted())
        #expect(Submission(id: id, deliveries: [.init(recipients: [a], payload: Data([9]))], expiresAt: expiry).digest() != one.digest())
    }
}
