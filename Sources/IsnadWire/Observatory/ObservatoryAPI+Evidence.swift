extension ObservatoryAPI {
    /// `GET /observatory/evidence/{sha256}/status` and the answer to each `PUT` of a piece.
    public struct EvidenceStatus: Codable, Hashable, Sendable {
        /// SHA-256 of the plaintext file, 64 lower-case hex digits.
        public var sha256: String
        /// `missing` (nothing held), `partial` (upload under way) or `received` (checked and kept).
        public var state: String
        /// Encrypted bytes held: the offset the next piece starts at.
        public var heldBytes: Int64
        /// The whole encrypted blob's length (header plus chunks), from the evidence item's size.
        public var totalBytes: Int64

        enum CodingKeys: String, CodingKey {
            case sha256, state
            case heldBytes = "held_bytes"
            case totalBytes = "total_bytes"
        }

        /// Creates a status body.
        public init(sha256: String, state: String, heldBytes: Int64, totalBytes: Int64) {
            self.sha256 = sha256
            self.state = state
            self.heldBytes = heldBytes
            self.totalBytes = totalBytes
        }
    }
}
