import IsnadMLS

/// A kind of official test vector (the formats of mlswg/mls-implementations `test-vectors.md`),
/// recognised by the keys of its objects, never by its file name.
public struct VectorKind: Sendable {
    /// The kind's name, as the format document titles it.
    public let name: String
    /// Keys whose presence identifies the kind.
    let signature: Set<String>
    /// Runs one case.
    let run: @Sendable (VectorCase) throws -> CaseOutcome

    init(_ name: String, keys: Set<String>, run: @escaping @Sendable (VectorCase) throws -> CaseOutcome) {
        self.name = name
        self.signature = keys
        self.run = run
    }

    /// Every kind, most specific key sets first.
    public static let all: [VectorKind] = [
        VectorKind("passive-client", keys: ["initial_epoch_authenticator", "epochs", "welcome"], run: Checks.passiveClient),
        VectorKind("treekem", keys: ["update_paths", "leaves_private"], run: Checks.treeKEM),
        VectorKind("tree-operations", keys: ["tree_before", "tree_after"], run: Checks.treeOperations),
        VectorKind("tree-validation", keys: ["tree", "resolutions", "tree_hashes"], run: Checks.treeValidation),
        VectorKind("messages", keys: ["mls_welcome", "mls_group_info", "mls_key_package"], run: Checks.messages),
        VectorKind("message-protection", keys: ["proposal_priv", "commit_pub", "application_priv"], run: Checks.messageProtection),
        VectorKind("welcome", keys: ["welcome", "key_package", "init_priv", "signer_pub"], run: Checks.welcome),
        VectorKind("key-schedule", keys: ["initial_init_secret", "epochs"], run: Checks.keySchedule),
        VectorKind("secret-tree", keys: ["sender_data", "leaves", "encryption_secret"], run: Checks.secretTree),
        VectorKind("transcript-hashes", keys: ["authenticated_content", "interim_transcript_hash_before"], run: Checks.transcriptHashes),
        VectorKind("psk_secret", keys: ["psks", "psk_secret"], run: Checks.pskSecret),
        VectorKind("crypto-basics", keys: ["ref_hash", "expand_with_label", "sign_with_label"], run: Checks.cryptoBasics),
        VectorKind("tree-math", keys: ["n_leaves", "n_nodes", "root"], run: Checks.treeMath),
        VectorKind("deserialization", keys: ["vlbytes_header", "length"], run: Checks.deserialization),
    ]

    /// The kind whose identifying keys all appear in `keys`.
    public static func detect(_ keys: Set<String>) -> VectorKind? {
        all.first { $0.signature.isSubset(of: keys) }
    }
}

/// The per-kind checks, each following the verification steps of `test-vectors.md`.
enum Checks {
    /// A provider for the case's suite; throws ``SkipCase`` for a suite Isnad does not support.
    static func provider(_ vector: VectorCase) throws -> CipherSuiteProvider {
        let suite = try vector.cipherSuite()
        guard let provider = try? CipherSuiteProvider(suite) else {
            throw SkipCase(reason: "cipher suite \(suite.hexValue) is not supported")
        }
        return provider
    }
}

/// Thrown by a check whose case cannot run here (only unsupported cipher suites).
struct SkipCase: Error {
    let reason: String
}
