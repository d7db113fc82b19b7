/// The one error type of `IsnadWire`.
///
/// Every failure carries a stable ``code`` (safe to match on, count and log), a ``kind`` that
/// separates bad input from outside, caller misuse and internal bugs, a ``message`` a person can
/// act on, the schema ``field`` or wire structure concerned, and the rule it enforces
/// (docs/reports.md, RFC 9180, RFC 9162, …). Descriptions never contain report content, names,
/// keys, salts or any other identifier: only field names, sizes, offsets and version numbers.
public struct WireError: Error, Sendable, CustomStringConvertible {
    /// Which party is at fault.
    public enum Kind: String, Sendable, Hashable {
        /// Bytes, JSON or values from outside (a reporter, a file, an observatory) are malformed or do not verify.
        case badInput
        /// The caller asked for something impossible (a seed of the wrong size, signing an invalid report).
        case misuse
        /// A version or algorithm that this build does not implement.
        case unsupported
        /// A bug in this library or in the cryptographic provider.
        case internalFailure
    }

    /// A stable machine-readable identifier for the failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The stable string form, e.g. `"report.schema.violation"`.
        public let rawValue: String

        /// Creates a code from its stable string form.
        public init(_ rawValue: String) { self.rawValue = rawValue }

        /// The stable string form.
        public var description: String { rawValue }

        // Encodings (docs/reports.md, "Binary encoding" and "JSON").
        /// Bytes are not a valid encoding: truncated, trailing bytes, bad length, bad enum value, invalid UTF-8, or not canonical.
        public static let malformed = Code("wire.malformed")
        /// Input is larger than the limit for its structure.
        public static let tooLarge = Code("wire.tooLarge")
        /// A structure carries a version this build does not implement.
        public static let unsupportedVersion = Code("wire.version.unsupported")
        /// JSON text is not syntactically valid JSON.
        public static let malformedJSON = Code("report.json.malformed")
        /// A JSON object has a key the schema does not define (``WireError/field`` names it).
        public static let unknownField = Code("report.json.unknownField")
        /// A JSON object has the same key twice (``WireError/field`` names it); readers would disagree on its value.
        public static let duplicateField = Code("report.json.duplicateField")
        /// A JSON object lacks a required key (``WireError/field`` names it).
        public static let missingField = Code("report.json.missingField")
        /// A JSON value has the wrong type or is not one of the allowed values (``WireError/field`` names it).
        public static let invalidJSONValue = Code("report.json.invalidValue")

        // Report schema (docs/reports.md, "Schema").
        /// A report breaks a schema rule: a limit, a range, a precision/value mismatch, an inconsistent count.
        public static let schemaViolation = Code("report.schema.violation")
        /// A date in the report lies after the `now` given by the caller.
        public static let futureDate = Code("report.date.future")

        // Signing and sealing (docs/reports.md, "Signing", "Sealing").
        /// The reporter's Ed25519 signature does not verify.
        public static let invalidSignature = Code("report.signature.invalid")
        /// A sealed report is addressed to a different observatory key than the one opening it.
        public static let wrongObservatory = Code("sealed.observatory.wrong")
        /// A sealed report names an HPKE suite this build does not implement.
        public static let unsupportedSuite = Code("sealed.suite.unsupported")
        /// HPKE decryption failed: the box was altered, truncated or sealed with another key.
        public static let decryptionFailed = Code("sealed.decryption.failed")
        /// A key has the wrong size or is not a valid key for its algorithm.
        public static let invalidKey = Code("crypto.key.invalid")
        /// A cryptographic primitive failed where it should not.
        public static let cryptoFailure = Code("crypto.failure")

        // Commitments and receipts (docs/reports.md, "Commitment", "Receipt").
        /// A commitment opening does not reproduce the commitment.
        public static let commitmentMismatch = Code("commitment.mismatch")
        /// The observatory's signature over a receipt does not verify.
        public static let invalidReceiptSignature = Code("receipt.signature.invalid")
        /// The receipt's checkpoint is malformed, for another log, or not signed by a trusted log key.
        public static let invalidCheckpoint = Code("receipt.checkpoint.invalid")
        /// The receipt's inclusion proof does not prove the commitment at its index in its checkpoint.
        public static let inclusionFailed = Code("receipt.inclusion.failed")
        /// A later checkpoint is not a verified extension of the receipt's: the log forked or rewrote history.
        public static let consistencyFailed = Code("receipt.consistency.failed")
    }

    /// The stable identifier of this failure.
    public let code: Code
    /// Who is at fault.
    public let kind: Kind
    /// What went wrong and what to do about it; contains no report content and no identifiers.
    public let message: String
    /// The schema field or wire structure concerned, e.g. `victims[2].age` or `SealedReport`.
    public let field: String?
    /// The rule being enforced, e.g. `"docs/reports.md §Sealing"` or `"RFC 9180 §5.2"`.
    public let specRule: String?
    /// The error reported by a lower layer (IsnadMLS codec, IsnadTransparency, swift-crypto), if any.
    public let underlying: (any Error & Sendable)?

    /// Creates an error.
    /// - Parameters:
    ///   - code: the stable identifier.
    ///   - kind: who is at fault.
    ///   - message: what went wrong, actionable, without report content or identifiers.
    ///   - field: the schema field or structure concerned.
    ///   - specRule: the rule enforced.
    ///   - underlying: the cause from a lower layer, if any.
    public init(
        _ code: Code, kind: Kind = .badInput, _ message: String, field: String? = nil, specRule: String? = nil,
        underlying: (any Error & Sendable)? = nil
    ) {
        self.code = code
        self.kind = kind
        self.message = message
        self.field = field
        self.specRule = specRule
        self.underlying = underlying
    }

    /// `code [field]: message (rule)`; never includes report content, keys or identifiers.
    public var description: String {
        var text = code.rawValue
        if let field { text += " [\(field)]" }
        text += ": \(message)"
        if let specRule { text += " (\(specRule))" }
        return text
    }

    static func schema(_ field: String, _ message: String) -> WireError {
        WireError(.schemaViolation, message, field: field, specRule: "docs/reports.md §Schema")
    }

    static func malformed(_ what: String, _ message: String, underlying: (any Error & Sendable)? = nil) -> WireError {
        WireError(.malformed, message, field: what, specRule: "docs/reports.md §Binary encoding", underlying: underlying)
    }
}
