/// An RFC 9457 problem details object, sent as `application/problem+json` for every error.
///
/// Beyond the standard members it carries `code` (a stable ``RelayError/Code``) and, for an
/// epoch conflict, `current_epoch`; for an attachment
/// chunk at the wrong offset, `received`.
public struct ProblemDetails: Codable, Hashable, Sendable {
    /// A URI naming the kind of problem: `urn:isnad:problem:<code>`.
    public var type: String
    /// A short summary of the kind of problem.
    public var title: String
    /// The HTTP status code.
    public var status: Int
    /// What was wrong with this request, for a person.
    public var detail: String
    /// The stable machine-readable code.
    public var code: String
    /// For an epoch conflict: the relay's current epoch for the group.
    public var currentEpoch: UInt64?
    /// For an attachment chunk at the wrong offset: how many bytes the relay holds.
    public var received: Int64?

    enum CodingKeys: String, CodingKey {
        case type, title, status, detail, code
        case currentEpoch = "current_epoch", received
    }

    /// The media type of a problem body (RFC 9457 §3).
    public static let mediaType = "application/problem+json"
}
