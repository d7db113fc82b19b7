/// The one error type of the relay. ``ProblemMiddleware`` turns it into an RFC 9457 problem.
///
/// Its `description` never carries identifiers, keys or message bytes.
public struct RelayError: Error, Sendable, CustomStringConvertible {
    /// A stable, machine-readable kind of failure; it is also the problem's `code` member.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The text form, as sent in problem bodies.
        public let rawValue: String
        private init(_ rawValue: String) { self.rawValue = rawValue }

        /// The request body, a query parameter or a path segment is not what the API takes.
        public static let malformedRequest = Code("malformed-request")
        /// `commit` or `welcome.message` does not decode as an RFC 9420 MLSMessage.
        public static let malformedMLS = Code("malformed-mls")
        /// A commit's MLS framing disagrees with the request: not a PublicMessage or PrivateMessage,
        /// not a commit, or another group or epoch than stated; or a Welcome that is not a Welcome.
        public static let mlsHeaderMismatch = Code("mls-header-mismatch")
        /// The request body is larger than the relay accepts.
        public static let requestTooLarge = Code("request-too-large")
        /// A signature does not verify.
        public static let invalidSignature = Code("invalid-signature")
        /// No valid bearer token, or a challenge that is unknown, used or expired.
        public static let unauthorized = Code("unauthorized")
        /// The named device does not exist.
        public static let unknownDevice = Code("unknown-device")
        /// The named identity has no account.
        public static let unknownIdentity = Code("unknown-identity")
        /// The identity has no KeyPackage left.
        public static let noKeyPackage = Code("no-key-package")
        /// The identity key or the device key is already registered.
        public static let alreadyRegistered = Code("already-registered")
        /// A commit was for another epoch than the relay's; the problem carries `current_epoch`.
        public static let epochConflict = Code("epoch-conflict")
        /// The message ID was already used for a different submission.
        public static let messageIDReused = Code("message-id-reused")
        /// Too many requests from one address or device; the problem comes with `Retry-After`.
        public static let rateLimited = Code("rate-limited")
        /// No live attachment has this ID.
        public static let unknownAttachment = Code("unknown-attachment")
        /// An attachment with this ID exists with another size, or another device is uploading it, or it is already complete.
        public static let attachmentConflict = Code("attachment-conflict")
        /// A chunk does not start where the held bytes end (out of order or overlapping); the problem carries `received`.
        public static let offsetMismatch = Code("offset-mismatch")
        /// The uploaded bytes do not hash to the attachment ID; the upload was discarded.
        public static let attachmentHashMismatch = Code("attachment-hash-mismatch")
        /// The attachment is not completely uploaded yet.
        public static let attachmentIncomplete = Code("attachment-incomplete")
        /// A `Range` that starts at or past the end of the attachment.
        public static let rangeNotSatisfiable = Code("range-not-satisfiable")
        /// The account already has as many devices as the relay allows.
        public static let deviceLimit = Code("device-limit")
        /// The account's only device cannot be removed.
        public static let lastDevice = Code("last-device")
        /// No route matches.
        public static let notFound = Code("not-found")
        /// The storage engine is unavailable; retry later.
        public static let unavailable = Code("unavailable")
        /// A configuration file, variable or flag that cannot be used; raised while starting, never sent over HTTP.
        public static let invalidConfiguration = Code("invalid-configuration")
        /// A bug in the relay.
        public static let `internal` = Code("internal")

        public var description: String { rawValue }
    }

    /// What kind of failure this is.
    public var code: Code
    /// A sentence a person can act on (the problem's `detail`).
    public var message: String
    /// For a commit refused with ``Code/epochConflict``: the relay's current epoch.
    public var currentEpoch: UInt64?
    /// For ``Code/offsetMismatch``: how many bytes of the attachment the relay holds.
    public var received: Int64?
    /// For ``Code/rateLimited``: seconds until a retry can succeed.
    public var retryAfter: Double?
    /// For ``Code/rangeNotSatisfiable``: the attachment's length, sent as `Content-Range: bytes */N`
    /// (RFC 9110 §15.5.17).
    public var completeLength: Int64?
    /// The cause, if any; never sent to the client.
    public var underlying: (any Error)?

    /// Creates a relay error.
    public init(_ code: Code, _ message: String, currentEpoch: UInt64? = nil, received: Int64? = nil, retryAfter: Double? = nil,
                completeLength: Int64? = nil, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.currentEpoch = currentEpoch
        self.received = received
        self.retryAfter = retryAfter
        self.completeLength = completeLength
        self.underlying = underlying
    }

    public var description: String { "RelayError(\(code)): \(message)" }
}
