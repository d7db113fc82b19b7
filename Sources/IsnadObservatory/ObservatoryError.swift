import HTTPTypes

/// The one error type of the observatory. The HTTP layer turns it into an RFC 9457 problem in
/// one place (``ObservatoryProblemMiddleware``); the CLI into one sentence.
///
/// Its `description` never carries report content, keys, identities or addresses.
public struct ObservatoryError: Error, Sendable, CustomStringConvertible {
    /// A stable, machine-readable kind of failure; it is also the problem's `code` member.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The text form, as sent in problem bodies.
        public let rawValue: String
        /// Creates a code; intake rejections use the ``IsnadWire/WireError`` code as it is.
        public init(_ rawValue: String) { self.rawValue = rawValue }

        /// The request is not what the API takes (a path, a query, a content type).
        public static let malformedRequest = Code("malformed-request")
        /// The body is larger than the observatory accepts.
        public static let requestTooLarge = Code("request-too-large")
        /// The exact sealed bytes were already received under another submission ID.
        public static let replay = Code("replay")
        /// The submission ID was already used for other bytes.
        public static let submissionIDReused = Code("submission-id-reused")
        /// The same signed report was already accepted.
        public static let duplicate = Code("duplicate")
        /// No such submission, tile, entry bundle or route.
        public static let notFound = Code("not-found")
        /// A review decision contradicts another one recorded for the same subject at the same time.
        public static let conflict = Code("conflict")
        /// The staff member's name or passphrase is wrong.
        public static let unauthorized = Code("unauthorized")
        /// A proof was asked for sizes or indices outside the log.
        public static let outOfRange = Code("out-of-range")
        /// The storage is unavailable; retry later.
        public static let unavailable = Code("unavailable")
        /// A key file, flag or setting that cannot be used; raised while starting.
        public static let invalidConfiguration = Code("invalid-configuration")
        /// Stored data does not match the log (found by an audit or while restoring the log).
        public static let integrity = Code("integrity")
        /// No accepted report names this evidence file.
        public static let unknownEvidence = Code("evidence-unknown")
        /// An uploaded evidence file does not match its evidence item (SHA-256 or size).
        public static let evidenceMismatch = Code("evidence-mismatch")
        /// A bug.
        public static let `internal` = Code("internal")

        public var description: String { rawValue }
    }

    /// What kind of failure this is.
    public var code: Code
    /// A sentence a person can act on.
    public var message: String
    /// The cause, if any; never sent to clients.
    public var underlying: (any Error)?

    /// Creates an error.
    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String { "ObservatoryError(\(code)): \(message)" }

    /// The HTTP status of this failure.
    public var status: HTTPResponse.Status {
        switch code {
        case .malformedRequest, .outOfRange: .badRequest
        case .requestTooLarge: .contentTooLarge
        case .replay, .submissionIDReused, .duplicate, .conflict: .conflict
        case .unauthorized: .unauthorized
        case .notFound, .unknownEvidence: .notFound
        case .unavailable: .serviceUnavailable
        case .invalidConfiguration, .integrity, .internal: .internalServerError
        default: IntakeRejection.status(forReason: code.rawValue)
        }
    }
}

extension Sequence where Element == UInt8 {
    /// Lower-case hexadecimal.
    var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
