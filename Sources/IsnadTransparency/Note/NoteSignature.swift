/// One signature line of a signed note: `— <key name> base64(key ID || signature)`
/// (c2sp.org/signed-note, Signatures).
public struct NoteSignature: Hashable, Sendable {
    /// The signing key's name.
    public let keyName: String
    /// The 32-bit key ID, stored big-endian in the first four signature bytes.
    public let keyID: UInt32
    /// The signature bytes after the key ID (64 bytes for Ed25519).
    public let signature: [UInt8]

    /// Creates a signature line's contents.
    /// - Throws: ``TransparencyError/Code/invalidKeyName`` for an empty name or one with a space or plus;
    ///   ``TransparencyError/Code/malformedNote`` for an empty signature.
    public init(keyName: String, keyID: UInt32, signature: [UInt8]) throws(TransparencyError) {
        try NoteEncoding.requireKeyName(keyName)
        guard !signature.isEmpty else {
            throw TransparencyError(
                .malformedNote, kind: .misuse, "a note signature needs at least one byte after the key ID",
                specRule: "c2sp.org/signed-note, Format")
        }
        self.keyName = keyName
        self.keyID = keyID
        self.signature = signature
    }

    /// The line, including the em dash (U+2014) and the final newline.
    public var line: String {
        let id: [UInt8] = [UInt8(keyID >> 24), UInt8((keyID >> 16) & 0xff), UInt8((keyID >> 8) & 0xff), UInt8(keyID & 0xff)]
        return "\u{2014} \(keyName) \(NoteEncoding.base64(id + signature))\n"
    }

    /// Parses one signature line given as UTF-8 bytes without its newline; nil if not well-formed.
    /// Works on bytes, not `Character`s, so combining marks cannot merge with the separators.
    static func parse(line: ArraySlice<UInt8>) -> NoteSignature? {
        let prefix: [UInt8] = [0xe2, 0x80, 0x94, 0x20]  // "— " : U+2014 EM DASH, U+0020 SPACE
        guard line.starts(with: prefix) else { return nil }
        let rest = line.dropFirst(prefix.count)
        guard let space = rest.firstIndex(of: 0x20) else { return nil }
        let name = String(decoding: rest[rest.startIndex..<space], as: UTF8.self)
        let encoded = String(decoding: rest[(space + 1)...], as: UTF8.self)
        guard NoteEncoding.isValidKeyName(name[...]),
              let bytes = NoteEncoding.decodeBase64(encoded[...]), bytes.count >= 5
        else { return nil }
        let keyID = UInt32(bytes[0]) << 24 | UInt32(bytes[1]) << 16 | UInt32(bytes[2]) << 8 | UInt32(bytes[3])
        return try? NoteSignature(keyName: name, keyID: keyID, signature: Array(bytes[4...]))
    }
}
