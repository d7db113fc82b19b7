import Foundation

/// An MLS group ID (RFC 9420 §8.1, `GroupContext.group_id`): opaque bytes chosen by the group's creator.
public struct GroupID: Hashable, Sendable {
    /// The opaque group ID bytes.
    public let bytes: Data

    /// Wraps group ID bytes.
    public init(_ bytes: Data) { self.bytes = bytes }
}

extension GroupID {
    /// The digest context that binds a commit submission to this group and its epoch, so a
    /// message ID reused for another group or epoch is caught. Every engine uses it.
    public func commitContext(epoch: UInt64) -> Data {
        var context = Data("commit".utf8)
        withUnsafeBytes(of: epoch.bigEndian) { context.append(contentsOf: $0) }
        context.append(bytes)
        return context
    }
}
