/// The one error type of IsnadKit: a stable code and one sentence a person can act on.
///
/// The sentence never holds plaintext, keys or names of the people involved beyond what the
/// user typed themselves (a contact or group name they gave on the command line).
public struct ClientError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of failure this is, stable for scripts and tests.
    public enum Code: String, Sendable {
        /// The passphrase does not open this home folder's store.
        case wrongPassphrase = "wrong-passphrase"
        /// No identity in this home folder yet (`isnad init` first).
        case notInitialized = "not-initialized"
        /// `isnad init` on a home folder that already has an identity.
        case alreadyInitialized = "already-initialized"
        /// The store's files are damaged or of an unknown version.
        case storeDamaged = "store-damaged"
        /// An invite string that cannot be read.
        case badInvite = "bad-invite"
        /// No contact or group by that name.
        case unknownName = "unknown-name"
        /// A name already in use.
        case nameTaken = "name-taken"
        /// A contact's identity key changed and the change is not yet confirmed.
        case identityChanged = "identity-changed"
        /// The relay could not be reached or answered with an error.
        case relayUnavailable = "relay-unavailable"
        /// The relay refused a request (a problem document).
        case relayRefused = "relay-refused"
        /// Bytes from the relay or a peer that do not decode or verify.
        case badMessage = "bad-message"
        /// A request that makes no sense in the current state (caller misuse).
        case invalidRequest = "invalid-request"
        /// A file that cannot be read or written.
        case fileAccess = "file-access"
    }

    public let code: Code
    /// One sentence for a person.
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
