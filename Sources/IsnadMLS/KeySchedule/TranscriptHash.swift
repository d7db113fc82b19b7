/// The confirmed and interim transcript hashes (§8.2).
public struct TranscriptHashes: Sendable, Hashable {
    public var confirmed: [UInt8]
    public var interim: [UInt8]

    public init(confirmed: [UInt8], interim: [UInt8]) {
        self.confirmed = confirmed
        self.interim = interim
    }

    /// Both hashes of a new group: zero-length strings.
    public static let initial = TranscriptHashes(confirmed: [], interim: [])

    /// `confirmed_transcript_hash[n] = Hash(interim[n-1] || ConfirmedTranscriptHashInput[n])`.
    public static func confirmed(_ provider: CipherSuiteProvider, interimBefore: [UInt8], commit: AuthenticatedContent) -> [UInt8] {
        provider.hash(interimBefore + commit.confirmedTranscriptHashInput)
    }

    /// `interim_transcript_hash[n] = Hash(confirmed[n] || InterimTranscriptHashInput[n])`, where
    /// the input is `struct { MAC confirmation_tag; }`.
    public static func interim(_ provider: CipherSuiteProvider, confirmed: [UInt8], confirmationTag: [UInt8]) -> [UInt8] {
        var encoder = TLSEncoder(capacity: confirmed.count + confirmationTag.count + 2)
        encoder.writeRaw(confirmed)
        encoder.writeOpaque(confirmationTag)
        return provider.hash(encoder.bytes)
    }

    /// The hashes after a commit whose AuthenticatedContent carries its confirmation tag.
    /// - Throws: ``MLSError`` `.missingConfirmationTag` if `commit` has none.
    public func updated(_ provider: CipherSuiteProvider, with commit: AuthenticatedContent) throws -> TranscriptHashes {
        guard let tag = commit.auth.confirmationTag else {
            throw MLSError.badInput(.missingConfirmationTag, "a commit's AuthenticatedContent has no confirmation tag", rfc: "§6.1")
        }
        let confirmed = Self.confirmed(provider, interimBefore: interim, commit: commit)
        return TranscriptHashes(confirmed: confirmed, interim: Self.interim(provider, confirmed: confirmed, confirmationTag: tag))
    }
}
