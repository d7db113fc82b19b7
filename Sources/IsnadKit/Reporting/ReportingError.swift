/// What went wrong while sending a report or checking a receipt. Its `description` never carries
/// report content, keys or identities.
public struct ReportingError: Error, Sendable, CustomStringConvertible {
    /// A stable kind of failure.
    public enum Code: String, Sendable {
        /// The observatory could not be reached, or answered 5xx; retrying may help.
        case unreachable
        /// The observatory refused the request (a 4xx problem); ``ReportingError/problemCode`` says why.
        case refused
        /// The observatory answered something that is not its API.
        case badResponse
        /// The receipt, a checkpoint or a proof does not verify.
        case verificationFailed
        /// The outbox has no such report.
        case unknownReport
    }

    /// The kind of failure.
    public var code: Code
    /// A sentence a person can act on.
    public var message: String
    /// For ``Code/refused``: the problem's `code` member (e.g. `report.signature.invalid`).
    public var problemCode: String?
    /// For ``Code/refused``: the HTTP status.
    public var status: Int?

    /// Creates an error.
    public init(_ code: Code, _ message: String, problemCode: String? = nil, status: Int? = nil) {
        self.code = code
        self.message = message
        self.problemCode = problemCode
        self.status = status
    }

    public var description: String { message }
}
