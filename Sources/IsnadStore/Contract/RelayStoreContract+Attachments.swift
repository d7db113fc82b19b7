import Foundation

extension RelayStoreContract {
    static let attachmentChecks: [Check] = [
        Check("an attachment is uploaded in chunks, resumes where it stopped, and reads back by range") { store in
            let device = try await registerDevice(store)
            let blob = randomBytes(1000)
            let id = AttachmentID(of: blob)
            let begun = try await store.beginAttachment(id, size: 1000, uploader: device.id, expiresAt: now + 3600, now: now)
            try expect(begun.isNew && begun.attachment == StoredAttachment(id: id, size: 1000, received: 0, uploader: device.id, expiresAt: now + 3600),
                       "a new upload holds nothing")
            let again = try await store.beginAttachment(id, size: 1000, uploader: device.id, expiresAt: now + 7200, now: now + 1)
            try expect(!again.isNew && again.attachment == begun.attachment, "beginning again returns the same upload, unchanged")
            _ = try await store.appendAttachmentChunk(id, at: 0, blob[0..<400], uploader: device.id, completedExpiresAt: now + 86400, now: now)
            let resumed = try await store.attachment(id, now: now)
            try expect(resumed?.received == 400 && resumed?.isComplete == false, "the relay says how much it holds")
            try expect(try await store.attachmentBytes(id, in: 0..<400) == blob[0..<400], "held bytes read back before completion")
            let done = try await store.appendAttachmentChunk(id, at: 400, blob[400...], uploader: device.id, completedExpiresAt: now + 86400, now: now)
            try expect(done == StoredAttachment(id: id, size: 1000, received: 1000, uploader: nil, expiresAt: now + 86400),
                       "the last chunk completes it, forgets the uploader and sets the retention")
            try expect(try await store.attachmentBytes(id, in: 0..<1000) == blob, "the whole blob")
            try expect(try await store.attachmentBytes(id, in: 390..<410) == blob[390..<410], "a range across two chunks")
            try expect(try await store.attachmentBytes(id, in: 999..<5000) == blob[999...], "a range clamped to the end")
            try expect(try await store.attachment(id, now: now)?.isComplete == true, "complete")
        },
        Check("chunks out of order, overlapping, past the end, from another device, or after completion store nothing") { store in
            let device = try await registerDevice(store)
            let other = try await registerDevice(store)
            let blob = randomBytes(100)
            let id = AttachmentID(of: blob)
            _ = try await store.beginAttachment(id, size: 100, uploader: device.id, expiresAt: now + 3600, now: now)
            _ = try await store.appendAttachmentChunk(id, at: 0, blob[0..<50], uploader: device.id, completedExpiresAt: now + 86400, now: now)
            try await expectStoreError(.conflict, "a chunk after a gap") {
                try await store.appendAttachmentChunk(id, at: 60, blob[60...], uploader: device.id, completedExpiresAt: now + 86400, now: now)
            }
            try await expectStoreError(.conflict, "an overlapping chunk") {
                try await store.appendAttachmentChunk(id, at: 40, blob[40...], uploader: device.id, completedExpiresAt: now + 86400, now: now)
            }
            try await expectStoreError(.invalidArgument, "a chunk past the declared size") {
                try await store.appendAttachmentChunk(id, at: 50, randomBytes(51), uploader: device.id, completedExpiresAt: now + 86400, now: now)
            }
            try await expectStoreError(.invalidArgument, "an empty chunk") {
                try await store.appendAttachmentChunk(id, at: 50, Data(), uploader: device.id, completedExpiresAt: now + 86400, now: now)
            }
            try await expectStoreError(.conflict, "another device's chunk") {
                try await store.appendAttachmentChunk(id, at: 50, blob[50...], uploader: other.id, completedExpiresAt: now + 86400, now: now)
            }
            try expect(try await store.attachment(id, now: now)?.received == 50, "nothing was added by the refused chunks")
            try expect(try await store.attachmentBytes(id, in: 0..<100) == blob[0..<50], "the held bytes are unchanged")
            _ = try await store.appendAttachmentChunk(id, at: 50, blob[50...], uploader: device.id, completedExpiresAt: now + 86400, now: now)
            try await expectStoreError(.conflict, "a chunk after completion") {
                try await store.appendAttachmentChunk(id, at: 100, randomBytes(1), uploader: device.id, completedExpiresAt: now + 86400, now: now)
            }
            try await expectStoreError(.unknownAttachment, "a chunk for an unknown ID") {
                try await store.appendAttachmentChunk(AttachmentID(of: randomBytes(8)), at: 0, randomBytes(1), uploader: device.id, completedExpiresAt: now + 86400, now: now)
            }
            try await expectStoreError(.unknownDevice, "an upload by an unknown device") {
                try await store.beginAttachment(AttachmentID(of: randomBytes(8)), size: 1, uploader: .random(), expiresAt: now + 60, now: now)
            }
            try expect(try await store.attachment(AttachmentID(of: randomBytes(8)), now: now) == nil, "an unknown ID has no record")
        },
        Check("attachments expire, are swept, and can be discarded") { store in
            let device = try await registerDevice(store)
            let short = AttachmentID(of: randomBytes(10))
            let long = AttachmentID(of: randomBytes(10))
            let discarded = AttachmentID(of: randomBytes(10))
            _ = try await store.beginAttachment(short, size: 10, uploader: device.id, expiresAt: now + 60, now: now)
            _ = try await store.appendAttachmentChunk(short, at: 0, randomBytes(4), uploader: device.id, completedExpiresAt: now + 60, now: now)
            _ = try await store.beginAttachment(long, size: 10, uploader: device.id, expiresAt: now + 86400, now: now)
            _ = try await store.beginAttachment(discarded, size: 10, uploader: device.id, expiresAt: now + 86400, now: now)
            _ = try await store.appendAttachmentChunk(discarded, at: 0, randomBytes(4), uploader: device.id, completedExpiresAt: now + 60, now: now)
            try await store.discardAttachment(discarded)
            try expect(try await store.attachment(discarded, now: now) == nil, "a discarded attachment is gone")
            try expect(try await store.attachmentBytes(discarded, in: 0..<10).isEmpty, "with its chunks")
            try expect(try await store.attachment(short, now: now + 61) == nil, "an expired attachment is not found")
            try await expectStoreError(.unknownAttachment, "an expired attachment takes no chunk") {
                try await store.appendAttachmentChunk(short, at: 4, randomBytes(1), uploader: device.id, completedExpiresAt: now + 86400, now: now + 61)
            }
            let report = try await store.removeExpired(now: now + 61)
            try expect(report.attachments == 1, "the sweep removes the expired attachment")
            try expect(try await store.attachmentBytes(short, in: 0..<10).isEmpty, "and its chunks")
            try expect(try await store.attachment(long, now: now + 61) != nil, "the live one stays")
            let restarted = try await store.beginAttachment(short, size: 10, uploader: device.id, expiresAt: now + 3600, now: now + 61)
            try expect(restarted.isNew && restarted.attachment.received == 0, "an expired ID can be uploaded afresh")
        },
    ]
}
