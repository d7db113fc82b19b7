import Foundation
import IsnadStore

/// A store whose every call fails with one error, to test how the relay reports engine failures.
struct FailingStore: RelayStore {
    let error: StoreError

    func registerAccount(_ device: Device) async throws -> Device { throw error }
    func addDevice(_ device: Device) async throws -> Device { throw error }
    func removeDevice(_ id: DeviceID) async throws -> Bool { throw error }
    func device(_ id: DeviceID) async throws -> Device? { throw error }
    func devices(ofIdentity identityKey: Data) async throws -> [Device] { throw error }
    func storeChallenge(digest: Data, for device: DeviceID, expiresAt: Date) async throws { throw error }
    func consumeChallenge(digest: Data, for device: DeviceID, now: Date) async throws -> Bool { throw error }
    func storeToken(digest: Data, for device: DeviceID, expiresAt: Date) async throws { throw error }
    func device(forTokenDigest digest: Data, now: Date) async throws -> DeviceID? { throw error }
    func uploadKeyPackages(_ packages: [KeyPackageUpload], for device: DeviceID, now: Date) async throws -> KeyPackageCount { throw error }
    func claimKeyPackages(ofIdentity identityKey: Data) async throws -> [ClaimedKeyPackage] { throw error }
    func keyPackageCount(for device: DeviceID) async throws -> KeyPackageCount { throw error }
    func epoch(of group: GroupID) async throws -> UInt64 { throw error }
    func advanceEpoch(of group: GroupID, expected: UInt64, delivering submission: Submission?, now: Date) async throws -> EpochAdvance { throw error }
    func enqueue(_ submission: Submission, now: Date) async throws -> SubmissionReceipt { throw error }
    func messages(for device: DeviceID, after cursor: Int64, limit: Int, now: Date) async throws -> [MailboxMessage] { throw error }
    func acknowledge(_ cursors: [Int64], for device: DeviceID) async throws -> Int { throw error }
    func removeExpired(now: Date) async throws -> ExpiryReport { throw error }
    func beginAttachment(_ id: AttachmentID, size: Int64, uploader: DeviceID, expiresAt: Date, now: Date) async throws -> (attachment: StoredAttachment, isNew: Bool) { throw error }
    func attachment(_ id: AttachmentID, now: Date) async throws -> StoredAttachment? { throw error }
    func appendAttachmentChunk(_ id: AttachmentID, at offset: Int64, _ bytes: Data, uploader: DeviceID, completedExpiresAt: Date, now: Date) async throws -> StoredAttachment { throw error }
    func attachmentBytes(_ id: AttachmentID, in range: Range<Int64>) async throws -> Data { throw error }
    func discardAttachment(_ id: AttachmentID) async throws { throw error }
}
