/// The JSON bodies of the observatory's HTTP API (docs/observatory.md, docs/openapi.yaml),
/// shared by the server (IsnadObservatory) and the reporter's client (IsnadKit).
public enum ObservatoryAPI {
    /// `GET /observatory/submissions/{id}` and the answer to `PUT` of a submission.
    public struct SubmissionStatus: Codable, Hashable, Sendable {
        /// The submission ID (a UUID, lower case).
        public var id: String
        /// `pending`, `accepted`, `logged` or `rejected`.
        public var state: String
        /// When the observatory stored the sealed bytes, RFC 3339.
        public var receivedAt: String
        /// For `rejected`: the stable reason code (docs/observatory.md, "Rejections").
        public var reason: String?
        /// For `rejected`: a sentence saying why.
        public var message: String?
        /// For `logged`: the entry's index in the log.
        public var logIndex: UInt64?
        /// For `logged`: the observatory's signed receipt, base64 of its encoding (docs/reports.md, "Receipt").
        public var receipt: String?
        /// Once accepted: the commitment recomputed now from the report as stored (hex), so a
        /// submitter can check the stored report still matches the logged entry.
        public var storedReportCommitment: String?

        enum CodingKeys: String, CodingKey {
            case id, state, reason, message, receipt
            case receivedAt = "received_at"
            case logIndex = "log_index"
            case storedReportCommitment = "stored_report_commitment"
        }

        /// Creates a status body.
        public init(
            id: String, state: String, receivedAt: String, reason: String? = nil, message: String? = nil, logIndex: UInt64? = nil,
            receipt: String? = nil, storedReportCommitment: String? = nil
        ) {
            self.id = id
            self.state = state
            self.receivedAt = receivedAt
            self.reason = reason
            self.message = message
            self.logIndex = logIndex
            self.receipt = receipt
            self.storedReportCommitment = storedReportCommitment
        }
    }

    /// `GET /observatory/keys`: what reporters and verifiers need.
    public struct Keys: Codable, Hashable, Sendable {
        /// The log's origin: the first line of its checkpoints.
        public var origin: String
        /// The X25519 HPKE public key reports are sealed to, base64 of its 32 bytes.
        public var sealingKey: String
        /// The sealing key's ``ObservatoryKeyID``, hex.
        public var sealingKeyID: String
        /// The log's Ed25519 verifier key in signed-note form (c2sp.org/signed-note).
        public var logVerifierKey: String

        enum CodingKeys: String, CodingKey {
            case origin
            case sealingKey = "sealing_key"
            case sealingKeyID = "sealing_key_id"
            case logVerifierKey = "log_verifier_key"
        }

        /// Creates a keys body.
        public init(origin: String, sealingKey: String, sealingKeyID: String, logVerifierKey: String) {
            self.origin = origin
            self.sealingKey = sealingKey
            self.sealingKeyID = sealingKeyID
            self.logVerifierKey = logVerifierKey
        }
    }

    /// `GET /observatory/proofs/inclusion`: RFC 9162 §2.1.3.1 PATH, leaf sibling first.
    public struct InclusionProof: Codable, Hashable, Sendable {
        public var leafIndex: UInt64
        public var treeSize: UInt64
        /// The path hashes, base64.
        public var hashes: [String]

        enum CodingKeys: String, CodingKey {
            case hashes
            case leafIndex = "leaf_index"
            case treeSize = "tree_size"
        }

        public init(leafIndex: UInt64, treeSize: UInt64, hashes: [String]) {
            self.leafIndex = leafIndex
            self.treeSize = treeSize
            self.hashes = hashes
        }
    }

    /// `GET /observatory/proofs/consistency`: RFC 9162 §2.1.4.1 PROOF.
    public struct ConsistencyProof: Codable, Hashable, Sendable {
        public var first: UInt64
        public var second: UInt64
        /// The proof hashes, base64.
        public var hashes: [String]

        public init(first: UInt64, second: UInt64, hashes: [String]) {
            self.first = first
            self.second = second
            self.hashes = hashes
        }
    }
}
