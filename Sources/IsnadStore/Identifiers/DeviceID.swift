import Foundation

/// The relay's name for one device of an account: a random UUID assigned at registration.
public struct DeviceID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The UUID behind this ID.
    public let uuid: UUID

    /// Wraps a UUID.
    public init(_ uuid: UUID) { self.uuid = uuid }

    /// Parses the canonical text form (a UUID, any case); `nil` for anything else.
    public init?(_ string: String) {
        guard let uuid = UUID(canonical: string) else { return nil }
        self.uuid = uuid
    }

    /// A new random device ID.
    public static func random() -> DeviceID { DeviceID(UUID()) }

    /// The lower-case UUID text form used on the wire.
    public var description: String { uuid.lowercasedText }

    /// The order of the text forms, which is the order of the 16 bytes.
    public static func < (lhs: DeviceID, rhs: DeviceID) -> Bool {
        withUnsafeBytes(of: lhs.uuid.uuid) { left in
            withUnsafeBytes(of: rhs.uuid.uuid) { right in left.lexicographicallyPrecedes(right) }
        }
    }
}
