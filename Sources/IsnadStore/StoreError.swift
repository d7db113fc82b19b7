/// The one error type of the storage layer.
///
/// Its `description` never carries identifiers, keys or message bytes: a store error may end up
/// in a log line or in an HTTP problem body.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// A stable, machine-readable kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// The identity key or the device key is already bound to something else.
        public static let conflict = Code("conflict")
        /// A named device does not exist.
        public static let unknownDevice = Code("unknown-device")
        /// The identity has no account.
        public static let unknownIdentity = Code("unknown-identity")
        /// No live attachment has this ID.
        public static let unknownAttachment = Code("unknown-attachment")
        /// A named record (a report, a staff account, a snapshot) does not exist.
        public static let notFound = Code("not-found")
        /// A client message ID was used again for a different submission.
        public static let messageIDReused = Code("message-id-reused")
        /// The caller passed a value the store cannot hold (misuse, not peer input).
        public static let invalidArgument = Code("invalid-argument")
        /// The engine could not be reached or refused the operation; retrying may help.
        public static let unavailable = Code("unavailable")
        /// Stored data or the engine behaved in a way the store does not expect: a bug.
        public static let `internal` = Code("internal")

        public var description: String { name }
    }

    /// What kind of failure this is.
    public var code: Code
    /// A sentence a person can act on; free of identifiers and secrets.
    public var message: String
    /// The engine's own error, if any. Not part of `description`: it may quote SQL arguments.
    public var underlying: (any Error)?

    /// Creates a store error.
    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String { "StoreError(\(code)): \(message)" }
}
