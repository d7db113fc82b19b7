import Foundation

/// The checks every engine makes before appending a chunk, inside its transaction.
public enum AttachmentRules {
    /// Throws unless `count` bytes from `uploader` may be appended at `offset`.
    /// - Throws: ``StoreError/Code/conflict`` (complete, another uploader, or not the next offset);
    ///   ``StoreError/Code/invalidArgument`` (empty, or past the declared size).
    public static func checkAppend(to attachment: StoredAttachment, at offset: Int64, count: Int, uploader: DeviceID) throws {
        guard !attachment.isComplete else {
            throw StoreError(.conflict, "The attachment is already complete.")
        }
        guard attachment.uploader == uploader else {
            throw StoreError(.conflict, "Another device is uploading this attachment.")
        }
        guard offset == attachment.received else {
            throw StoreError(.conflict, "A chunk must start where the received bytes end.")
        }
        guard count > 0, Int64(count) <= attachment.size - offset else {
            throw StoreError(.invalidArgument, "A chunk must hold at least one byte and end within the declared size.")
        }
    }
}

extension AttachmentRules {
    /// The bytes of `range` out of stored chunks `(start, bytes)` in start order.
    public static func slice(_ chunks: [(start: Int64, bytes: Data)], to range: Range<Int64>) -> Data {
        var result = Data()
        for chunk in chunks {
            let overlap = (chunk.start..<(chunk.start + Int64(chunk.bytes.count))).clamped(to: range)
            guard !overlap.isEmpty else { continue }
            let start = chunk.bytes.startIndex + Int(overlap.lowerBound - chunk.start)
            result.append(chunk.bytes[start..<(start + overlap.count)])
        }
        return result
    }
}
