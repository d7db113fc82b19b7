import Foundation

/// A client-chosen ID for one submission (a message or a commit), used to recognise retries.
public struct MessageID: Hashable, Sendable, CustomStringConvertible {
    /// The UUID behind this ID.
    public let uuid: UUID

    /// Wraps a UUID.
    public init(_ uuid: UUID) { self.uuid = uuid }

    /// Parses the canonical text form (a UUID, any case); `nil` for anything else.
    public init?(_ string: String) {
        guard let uuid = UUID(canonical: string) else { return nil }
        self.uuid = uuid
    }

    /// A new random message ID.
    public static func random() -> MessageID { MessageID(UUID()) }

    /// The lower-case UUID text form used on the wire.
    public var description: String { uuid.lowercasedText }
}
