/// How many expired records one sweep removed.
public struct ExpiryReport: Hashable, Sendable {
    /// Mailbox messages past their retention.
    public var messages: Int
    /// Idempotence records past their retention.
    public var submissions: Int
    /// Challenges and tokens past their lifetime.
    public var credentials: Int
    /// Attachments (complete or not) past their retention.
    public var attachments: Int

    /// Creates a report.
    public init(messages: Int = 0, submissions: Int = 0, credentials: Int = 0, attachments: Int = 0) {
        self.messages = messages
        self.submissions = submissions
        self.credentials = credentials
        self.attachments = attachments
    }
}
