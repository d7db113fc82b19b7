/// The one error type of `IsnadMLS`.
///
/// Every failure carries a stable ``Code`` that callers and tests match on, a message a
/// person can act on, and, where one applies, the RFC 9420 section whose rule was broken.
/// Messages never contain secrets, plaintext or identifiers: only sizes, positions, field
/// names and numbers that are public on the wire (epochs, generations, indices).
public struct MLSError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Who is at fault, so callers can react: drop a peer's message, fix their own call, or report a bug.
    public enum Kind: String, Sendable, Hashable {
        /// Bytes or values received from a peer are malformed or fail a check. Expected; drop the message.
        case badInput
        /// The caller used the API in a way the RFC forbids (for example, an application message as a PublicMessage).
        case misuse
        /// The operation is valid but not available here (for example, an unsupported cipher suite).
        case unsupported
        /// A cryptographic primitive failed where it should not have; a bug in Isnad or in its dependencies.
        case `internal`
    }

    /// A stable, machine-readable identifier of the failure.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        // Codec (RFC 9420 §2.1)
        public static let truncated = Code(rawValue: "codec.truncated")
        public static let nonMinimalVarint = Code(rawValue: "codec.non-minimal-varint")
        public static let invalidVarintPrefix = Code(rawValue: "codec.invalid-varint-prefix")
        public static let lengthTooLarge = Code(rawValue: "codec.length-too-large")
        public static let trailingBytes = Code(rawValue: "codec.trailing-bytes")
        public static let invalidOptional = Code(rawValue: "codec.invalid-optional")
        public static let invalidEnumValue = Code(rawValue: "codec.invalid-enum-value")
        public static let invalidValue = Code(rawValue: "codec.invalid-value")

        // Cryptography
        public static let unsupportedCipherSuite = Code(rawValue: "crypto.unsupported-cipher-suite")
        public static let invalidKey = Code(rawValue: "crypto.invalid-key")
        public static let invalidSignature = Code(rawValue: "crypto.invalid-signature")
        public static let decryptionFailed = Code(rawValue: "crypto.decryption-failed")
        public static let invalidLength = Code(rawValue: "crypto.invalid-length")
        public static let deriveKeyPairFailed = Code(rawValue: "crypto.derive-key-pair-failed")
        public static let primitiveFailed = Code(rawValue: "crypto.primitive-failed")

        // Secret tree (RFC 9420 §9)
        public static let leafOutOfRange = Code(rawValue: "secret-tree.leaf-out-of-range")
        public static let generationTooFarAhead = Code(rawValue: "secret-tree.generation-too-far-ahead")
        public static let generationConsumed = Code(rawValue: "secret-tree.generation-consumed")
        public static let generationExhausted = Code(rawValue: "secret-tree.generation-exhausted")

        // Framing (RFC 9420 §6)
        public static let invalidMembershipTag = Code(rawValue: "framing.invalid-membership-tag")
        public static let invalidConfirmationTag = Code(rawValue: "framing.invalid-confirmation-tag")
        public static let nonZeroPadding = Code(rawValue: "framing.non-zero-padding")
        public static let wrongGroup = Code(rawValue: "framing.wrong-group")
        public static let wrongEpoch = Code(rawValue: "framing.wrong-epoch")
        public static let wrongWireFormat = Code(rawValue: "framing.wrong-wire-format")
        public static let invalidSender = Code(rawValue: "framing.invalid-sender")
        public static let applicationMessageNotEncrypted = Code(rawValue: "framing.application-message-not-encrypted")
        public static let missingConfirmationTag = Code(rawValue: "framing.missing-confirmation-tag")
        public static let unsupportedVersion = Code(rawValue: "framing.unsupported-version")

        // Group (RFC 9420 §7, §11, §12)
        /// A ReInit was committed: the old group neither sends nor accepts messages (§11.2).
        public static let reinitialized = Code(rawValue: "group.reinitialized")
        /// A resumption (ReInit or branch) Welcome does not match the group it claims to resume (§11.2, §11.3).
        public static let invalidResumption = Code(rawValue: "group.invalid-resumption")
        /// A leaf node is outside its lifetime at the time the caller gave (§7.2).
        public static let expiredLeafNode = Code(rawValue: "group.leaf-node-outside-lifetime")
        /// A member does not support a capability the group needs (§7.2, §11.1, §12.1).
        public static let unsupportedCapability = Code(rawValue: "group.unsupported-capability")
    }

    /// The stable identifier of the failure.
    public let code: Code
    /// Who is at fault.
    public let kind: Kind
    /// A sentence a person can act on. Never contains secrets, plaintext or identifiers.
    public let message: String
    /// The RFC 9420 section whose rule was applied, for example "§2.1.2".
    public let rfcSection: String?

    /// Creates an error.
    public init(_ code: Code, _ kind: Kind, _ message: String, rfc rfcSection: String? = nil) {
        self.code = code
        self.kind = kind
        self.message = message
        self.rfcSection = rfcSection
    }

    public var description: String {
        var text = "\(code): \(message)"
        if let rfcSection { text += " (RFC 9420 \(rfcSection))" }
        return text
    }

    static func badInput(_ code: Code, _ message: String, rfc: String? = nil) -> MLSError {
        MLSError(code, .badInput, message, rfc: rfc)
    }

    static func misuse(_ code: Code, _ message: String, rfc: String? = nil) -> MLSError {
        MLSError(code, .misuse, message, rfc: rfc)
    }
}
