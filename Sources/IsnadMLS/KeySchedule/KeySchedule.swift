/// The secrets of one epoch (RFC 9420 §8, table "Epoch-Derived Secrets").
///
/// `epoch_secret`, `joiner_secret` and `commit_secret` are consumed while deriving these and
/// are not kept (§9.2, deletion schedule).
public struct EpochSecrets: Sendable, Equatable {
    public let senderDataSecret: SecretBytes
    public let encryptionSecret: SecretBytes
    public let exporterSecret: SecretBytes
    public let externalSecret: SecretBytes
    public let confirmationKey: SecretBytes
    public let membershipKey: SecretBytes
    public let resumptionPSK: SecretBytes
    public let epochAuthenticator: SecretBytes
    /// `init_secret_[n]`, the input to the next epoch's key schedule.
    public let initSecret: SecretBytes
}

/// What the key schedule yields for one epoch: the joiner and welcome secrets (for Welcome
/// messages) and the epoch secrets.
public struct KeyScheduleOutput: Sendable {
    public let joinerSecret: SecretBytes
    public let welcomeSecret: SecretBytes
    public let epoch: EpochSecrets
}

/// The MLS key schedule (§8).
///
/// ```
/// init_secret[n-1] ─salt─▶ Extract ◀─ikm─ commit_secret
///                            │ ExpandWithLabel(., "joiner", GroupContext[n], Nh)
///                            ▼
///                      joiner_secret ─salt─▶ Extract ◀─ikm─ psk_secret (or 0)
///                                              ├─▶ DeriveSecret(., "welcome")
///                                              │ ExpandWithLabel(., "epoch", GroupContext[n], Nh)
///                                              ▼
///                                        epoch_secret ─▶ DeriveSecret(., label) for each epoch secret
/// ```
public enum KeySchedule {
    /// Derives the epoch from the previous epoch's init secret and this epoch's commit secret.
    /// - Parameters:
    ///   - pskSecret: the combined PSK secret, or `nil` for the all-zero vector.
    public static func derive(_ provider: CipherSuiteProvider, initSecret: SecretBytes, commitSecret: SecretBytes,
                              pskSecret: SecretBytes?, groupContext: GroupContext) -> KeyScheduleOutput {
        let extracted = provider.extract(salt: initSecret.bytes, ikm: commitSecret.bytes)
        let joiner = provider.expandWithLabel(secret: extracted, label: "joiner", context: groupContext.encoded, length: provider.hashLength)
        return derive(provider, joinerSecret: SecretBytes(joiner), pskSecret: pskSecret, groupContext: groupContext)
    }

    /// Derives the epoch from a joiner secret (a new member's path, from GroupSecrets in a Welcome).
    public static func derive(_ provider: CipherSuiteProvider, joinerSecret: SecretBytes, pskSecret: SecretBytes?,
                              groupContext: GroupContext) -> KeyScheduleOutput {
        let member = memberSecret(provider, joinerSecret: joinerSecret, pskSecret: pskSecret)
        let welcome = provider.deriveSecret(member, label: "welcome")
        let epochSecret = provider.expandWithLabel(secret: member, label: "epoch", context: groupContext.encoded, length: provider.hashLength)
        return KeyScheduleOutput(joinerSecret: joinerSecret, welcomeSecret: SecretBytes(welcome),
                                 epoch: epochSecrets(provider, epochSecret: SecretBytes(epochSecret)))
    }

    /// The secrets derived from an epoch secret (§8); a new group's first epoch secret is random (§11).
    public static func epochSecrets(_ provider: CipherSuiteProvider, epochSecret secret: SecretBytes) -> EpochSecrets {
        let epochSecret = secret.bytes
        func derive(_ label: String) -> SecretBytes { SecretBytes(provider.deriveSecret(epochSecret, label: label)) }
        return EpochSecrets(
            senderDataSecret: derive("sender data"),
            encryptionSecret: derive("encryption"),
            exporterSecret: derive("exporter"),
            externalSecret: derive("external"),
            confirmationKey: derive("confirm"),
            membershipKey: derive("membership"),
            resumptionPSK: derive("resumption"),
            epochAuthenticator: derive("authentication"),
            initSecret: derive("init"))
    }

    /// `welcome_secret = DeriveSecret(Extract(joiner_secret, psk_secret), "welcome")`: all a
    /// joiner needs to decrypt the GroupInfo of a Welcome, before it knows the GroupContext.
    public static func welcomeSecret(_ provider: CipherSuiteProvider, joinerSecret: SecretBytes, pskSecret: SecretBytes?) -> SecretBytes {
        SecretBytes(provider.deriveSecret(memberSecret(provider, joinerSecret: joinerSecret, pskSecret: pskSecret), label: "welcome"))
    }

    /// `Extract(joiner_secret, psk_secret or 0)`: the secret below the joiner secret in the diagram above.
    private static func memberSecret(_ provider: CipherSuiteProvider, joinerSecret: SecretBytes, pskSecret: SecretBytes?) -> [UInt8] {
        provider.extract(salt: joinerSecret.bytes, ikm: pskSecret?.bytes ?? [UInt8](repeating: 0, count: provider.hashLength))
    }

    /// The Welcome key and nonce derived from the welcome secret (§12.4.3.1).
    public static func welcomeKeyAndNonce(_ provider: CipherSuiteProvider, welcomeSecret: SecretBytes) -> (key: SecretBytes, nonce: [UInt8]) {
        let nonce = provider.expandWithLabel(secret: welcomeSecret.bytes, label: "nonce", context: [], length: provider.aeadNonceLength)
        let key = provider.expandWithLabel(secret: welcomeSecret.bytes, label: "key", context: [], length: provider.aeadKeyLength)
        return (SecretBytes(key), nonce)
    }
}

extension EpochSecrets {
    /// `MLS-Exporter(label, context, length)` (§8.5).
    public func export(_ provider: CipherSuiteProvider, label: [UInt8], context: [UInt8], length: Int) -> SecretBytes {
        let derived = provider.expandWithLabel(secret: exporterSecret.bytes, labelBytes: label, context: [], length: provider.hashLength)
        return SecretBytes(provider.expandWithLabel(secret: derived, label: "exported", context: provider.hash(context), length: length))
    }

    /// `MLS-Exporter` with a text label.
    public func export(_ provider: CipherSuiteProvider, label: String, context: [UInt8], length: Int) -> SecretBytes {
        export(provider, label: Array(label.utf8), context: context, length: length)
    }

    /// The group's external key pair, `KEM.DeriveKeyPair(external_secret)` (§8).
    public func externalKeyPair(_ provider: CipherSuiteProvider) throws -> HPKEKeyPair {
        try provider.deriveKeyPair(ikm: externalSecret.bytes)
    }

    /// The confirmation tag of a commit: `MAC(confirmation_key, confirmed_transcript_hash)` (§6.1).
    public func confirmationTag(_ provider: CipherSuiteProvider, confirmedTranscriptHash: [UInt8]) -> [UInt8] {
        provider.mac(key: confirmationKey.bytes, data: confirmedTranscriptHash)
    }
}
