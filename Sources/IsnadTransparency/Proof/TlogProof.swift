/// A c2sp.org/tlog-proof@v1 offline proof: optional extra data, an entry index, its inclusion
/// path and the signed checkpoint it leads to (c2sp.org/tlog-proof, Format).
///
/// ```
/// c2sp.org/tlog-proof@v1
/// [extra <base64>]
/// index <decimal>
/// <base64 hash>            zero or more, leaf sibling first
///                          empty line
/// <signed checkpoint, verbatim>
/// ```
public struct TlogProof: Hashable, Sendable {
    /// The first line of every proof.
    public static let header = "c2sp.org/tlog-proof@v1"

    /// Unauthenticated application data; never trust it without checking (c2sp.org/tlog-proof, Format).
    public let extra: [UInt8]?
    /// The entry's zero-based index.
    public let index: UInt64
    /// The inclusion path, each hash 32 bytes.
    public let path: [[UInt8]]
    /// The signed checkpoint.
    public let checkpoint: SignedNote

    /// Creates a proof.
    /// - Throws: ``TransparencyError/Code/malformedTlogProof`` for empty extra data or a hash that is not 32 bytes.
    public init(extra: [UInt8]?, index: UInt64, path: [[UInt8]], checkpoint: SignedNote) throws(TransparencyError) {
        guard extra.map({ !$0.isEmpty }) ?? true, path.allSatisfy({ $0.count == MerkleTreeHash.size }) else {
            throw Self.malformed("extra data must be non-empty if present and hashes 32 bytes", kind: .misuse)
        }
        self.extra = extra
        self.index = index
        self.path = path
        self.checkpoint = checkpoint
    }

    /// Parses a proof, strictly.
    /// - Throws: ``TransparencyError/Code/malformedTlogProof``, or the ``SignedNote`` parse errors for the checkpoint.
    public init(parsing text: String) throws(TransparencyError) {
        let bytes = Array(text.utf8)
        var lines: [String] = []
        var start = 0
        var checkpointStart: Int?
        // Read header lines up to the empty line; everything after it is the checkpoint, verbatim.
        while start < bytes.count {
            guard let end = bytes[start...].firstIndex(of: 0x0a) else { break }
            if end == start {
                checkpointStart = end + 1
                break
            }
            lines.append(String(decoding: bytes[start..<end], as: UTF8.self))
            start = end + 1
            guard lines.count <= 80 else { throw Self.malformed("too many proof lines") }
        }
        guard let checkpointStart, lines.first == Self.header else {
            throw Self.malformed("a proof starts with \(Self.header) and has an empty line before the checkpoint")
        }
        var rest = lines.dropFirst()
        var extra: [UInt8]?
        if let line = rest.first, line.hasPrefix("extra ") {
            guard let decoded = NoteEncoding.decodeBase64(line.dropFirst(6)) else {
                throw Self.malformed("the extra line must carry canonical base64")
            }
            extra = decoded
            rest = rest.dropFirst()
        }
        guard let indexLine = rest.first, indexLine.hasPrefix("index "),
              let index = TilePath.decimal(indexLine.dropFirst(6))
        else { throw Self.malformed("the index line is 'index <decimal without leading zeroes>'") }
        var path: [[UInt8]] = []
        for line in rest.dropFirst() {
            guard let hash = NoteEncoding.decodeBase64(line[...]), hash.count == MerkleTreeHash.size else {
                throw Self.malformed("each proof line is the base64 of a 32-byte hash")
            }
            path.append(hash)
        }
        let note = try SignedNote(parsing: Array(bytes[checkpointStart...]))
        try self.init(extra: extra, index: index, path: path, checkpoint: note)
    }

    /// The proof text.
    public var encoded: String {
        var lines = [Self.header]
        if let extra { lines.append("extra " + NoteEncoding.base64(extra)) }
        lines.append("index \(index)")
        lines += path.map(NoteEncoding.base64)
        return lines.map { $0 + "\n" }.joined() + "\n" + checkpoint.encoded
    }

    /// Verifies the proof (c2sp.org/tlog-proof, Verifying a tlog proof, steps 2 and 4).
    /// - Parameters:
    ///   - leafHash: the entry's leaf hash, computed by the application (step 1).
    ///   - origin: the acceptable log origin.
    ///   - verifiers: the log's keys; witness policy (step 3) is the caller's, using the returned note.
    /// - Returns: the verified checkpoint and note.
    /// - Throws: checkpoint, note and inclusion verification errors.
    public func verify(
        leafHash: [UInt8], origin: String, verifiers: [NoteVerifier]
    ) throws(TransparencyError) -> (checkpoint: Checkpoint, note: VerifiedNote) {
        let opened = try Checkpoint.open(Array(checkpoint.encoded.utf8), origin: origin, verifiers: verifiers)
        try MerkleProofVerifier.verifyInclusion(
            leafHash: leafHash, leafIndex: index, treeSize: opened.checkpoint.treeSize, proof: path,
            rootHash: opened.checkpoint.rootHash)
        return opened
    }

    private static func malformed(_ message: String, kind: TransparencyError.Kind = .badInput) -> TransparencyError {
        TransparencyError(.malformedTlogProof, kind: kind, message, specRule: "c2sp.org/tlog-proof, Format")
    }
}
