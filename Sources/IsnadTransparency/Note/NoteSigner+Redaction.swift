/// Keeps the private key out of logs, string interpolation and debugger mirrors.
extension NoteSigner: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// `NoteSigner(<name>+<key ID>)`, without key material.
    public var description: String { "NoteSigner(\(name)+\(NoteEncoding.hex(keyID)))" }

    /// Same as ``description``.
    public var debugDescription: String { description }

    /// A mirror with no children, so `dump` cannot reveal the private key.
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
