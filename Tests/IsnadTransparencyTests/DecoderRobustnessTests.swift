import Testing
@testable import IsnadTransparency

/// Feeds seeded random and mutated inputs to every decoder of outside bytes or text. Each must
/// return a value or throw a `TransparencyError`; a trap would crash the test process. Values
/// that decode must re-encode to the same bytes (one spelling per value).
@Suite("decoders never trap on hostile input")
struct DecoderRobustnessTests {
    static let iterations = 3000
    static let smallLog: MerkleLog = {
        var log = MerkleLog()
        for i in 0..<70_000 { log.append([UInt8(i & 0xff)]) }
        return log
    }()

    /// Valid seeds for mutation, one list per decoder.
    struct Seeds {
        let inclusion: [UInt8]
        let consistency: [UInt8]
        let checkpoint: String
        let note: String
        let tlogProof: String
        let bundle: [UInt8]
        let tilePath = "tile/1/x001/x234/067.p/8"
    }

    static func seeds() throws -> Seeds {
        let log = CTTestTree.log()
        let signer = try NoteSigner(signerKey: NoteVectors.peterSignerKey)
        let checkpoint = try Checkpoint(origin: "isnad.example/log", treeSize: 8, rootHash: log.rootHash(), extensions: ["ext"])
        let note = try checkpoint.sign(with: [signer])
        let tlogProof = try TlogProof(
            extra: [1, 2, 3], index: 5, path: log.inclusionProof(leafIndex: 5, treeSize: 8), checkpoint: note)
        return Seeds(
            inclusion: try InclusionProof(
                logID: [1, 2, 3], treeSize: 8, leafIndex: 5, path: log.inclusionProof(leafIndex: 5, treeSize: 8)).encoded(),
            consistency: try ConsistencyProof(
                logID: [1, 2, 3], firstSize: 3, secondSize: 8, path: log.consistencyProof(from: 3, to: 8)).encoded(),
            checkpoint: checkpoint.text,
            note: note.encoded + NoteVectors.enochSig,
            tlogProof: tlogProof.encoded,
            bundle: try EntryBundle(entries: CTTestTree.leaves).encoded())
    }

    /// Random bytes biased towards the characters the formats use.
    static func randomBytes(_ rng: inout SeededGenerator) -> [UInt8] {
        let alphabet = Array("0123456789abcdefx/+=\n .p—tileABCDEFZz".utf8) + [0x00, 0x01, 0xff, 0x20, 0xe2, 0x80, 0x94]
        let count = Int.random(in: 0...200, using: &rng)
        return (0..<count).map { _ in
            Bool.random(using: &rng) ? UInt8.random(in: 0...255, using: &rng) : alphabet.randomElement(using: &rng) ?? 0
        }
    }

    /// One to four random edits: bit flips, byte changes, insertions, deletions, truncation, duplication.
    static func mutate(_ input: [UInt8], _ rng: inout SeededGenerator) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<7, using: &rng) {
            case 0 where !bytes.isEmpty: bytes[position] ^= 1 << UInt8.random(in: 0...7, using: &rng)
            case 1 where !bytes.isEmpty: bytes[position] = UInt8.random(in: 0...255, using: &rng)
            case 2: bytes.insert(UInt8.random(in: 0...255, using: &rng), at: position)
            case 3 where !bytes.isEmpty: bytes.remove(at: position)
            case 4: bytes = Array(bytes.prefix(position))
            case 5: bytes.insert(contentsOf: bytes[position...].prefix(Int.random(in: 1...40, using: &rng)), at: position)
            default: if !bytes.isEmpty { bytes[position] = [0x0a, 0x20, 0x2b, 0x2f, 0x3d, 0x30][Int.random(in: 0..<6, using: &rng)] }
            }
        }
        return bytes
    }

    static func inputs(seed: [UInt8], rngSeed: UInt64) -> [[UInt8]] {
        var rng = SeededGenerator(seed: rngSeed)
        return (0..<iterations).map { i in i % 3 == 0 ? randomBytes(&rng) : mutate(seed, &rng) }
    }

    @Test("InclusionProof and ConsistencyProof decoders")
    func proofDecoders() throws {
        let seeds = try Self.seeds()
        var decoded = 0
        for input in Self.inputs(seed: seeds.inclusion, rngSeed: 1) {
            if let proof = try? InclusionProof(decoding: input) {
                decoded += 1
                #expect(proof.encoded() == input)
                // Verifying an arbitrary decoded proof must not trap either.
                _ = try? proof.verify(leafHash: CTTestTree.roots[1], rootHash: CTTestTree.roots[8])
            }
        }
        for input in Self.inputs(seed: seeds.consistency, rngSeed: 2) {
            if let proof = try? ConsistencyProof(decoding: input) {
                decoded += 1
                #expect(proof.encoded() == input)
                _ = try? proof.verify(firstRoot: CTTestTree.roots[3], secondRoot: CTTestTree.roots[8])
            }
        }
        #expect(decoded > 0, "mutations should sometimes keep the structure valid")
    }

    @Test("Checkpoint, SignedNote and TlogProof parsers")
    func textDecoders() throws {
        let seeds = try Self.seeds()
        let verifiers = [try NoteVerifier(verifierKey: NoteVectors.peterVerifierKey)]
        for input in Self.inputs(seed: Array(seeds.checkpoint.utf8), rngSeed: 3) {
            let text = String(decoding: input, as: UTF8.self)
            if let checkpoint = try? Checkpoint(parsing: text) { #expect(checkpoint.text == text) }
        }
        for input in Self.inputs(seed: Array(seeds.note.utf8), rngSeed: 4) {
            if let note = try? SignedNote(parsing: input) {
                #expect(Array(note.encoded.utf8) == input)
                _ = try? note.verify(with: verifiers)
            }
            _ = try? Checkpoint.open(input, origin: "isnad.example/log", verifiers: verifiers)
        }
        for input in Self.inputs(seed: Array(seeds.tlogProof.utf8), rngSeed: 5) {
            let text = String(decoding: input, as: UTF8.self)
            if let proof = try? TlogProof(parsing: text) {
                #expect(proof.encoded == text)
                _ = try? proof.verify(leafHash: CTTestTree.roots[1], origin: "isnad.example/log", verifiers: verifiers)
            }
        }
    }

    @Test("tile paths, tile bodies, entry bundles and key strings")
    func otherDecoders() throws {
        let seeds = try Self.seeds()
        for input in Self.inputs(seed: Array(seeds.tilePath.utf8), rngSeed: 6) {
            let path = String(decoding: input, as: UTF8.self)
            if let tile = try? Tile(path: path) {
                #expect(tile.path == path)
                // A store serving tiles from a request path must not trap either.
                _ = try? Self.smallLog.tileData(tile)
            }
            if let tile = try? Tile(entriesPath: path) { #expect(tile.entriesPath == path) }
        }
        for input in Self.inputs(seed: seeds.bundle, rngSeed: 7) {
            if let bundle = try? EntryBundle(decoding: input) { #expect(bundle.encoded() == input) }
            _ = try? Tile(level: 0, index: 0, width: 8).hashes(from: input)
        }
        for input in Self.inputs(seed: Array(NoteVectors.peterVerifierKey.utf8), rngSeed: 8) {
            let key = String(decoding: input, as: UTF8.self)
            if let verifier = try? NoteVerifier(verifierKey: key) { #expect(verifier.verifierKey == key) }
        }
        for input in Self.inputs(seed: Array(NoteVectors.peterSignerKey.utf8), rngSeed: 9) {
            let key = String(decoding: input, as: UTF8.self)
            if let signer = try? NoteSigner(signerKey: key) { #expect(signer.signerKey == key) }
        }
    }

    @Test("verifiers and tile planners accept any sizes and indices without trapping")
    func arbitraryNumbers() {
        var rng = SeededGenerator(seed: 10)
        let interesting: [UInt64] = [0, 1, 2, 255, 256, 257, 1 << 32, UInt64.max - 1, UInt64.max]
        func number() -> UInt64 {
            Bool.random(using: &rng) ? interesting.randomElement(using: &rng) ?? 0 : UInt64.random(in: 0...UInt64.max, using: &rng) >> UInt64.random(in: 0...63, using: &rng)
        }
        let hash = CTTestTree.roots[8]
        for _ in 0..<Self.iterations {
            let a = number()
            let b = number()
            let path = Array(repeating: hash, count: Int.random(in: 0...70, using: &rng))
            _ = try? MerkleProofVerifier.verifyInclusion(leafHash: hash, leafIndex: a, treeSize: b, proof: path, rootHash: hash)
            _ = try? MerkleProofVerifier.verifyConsistency(firstSize: a, secondSize: b, firstRoot: hash, secondRoot: hash, proof: path)
            _ = try? TileProofBuilder.tilesForInclusion(leafIndex: a, treeSize: b)
            _ = try? TileProofBuilder.tilesForConsistency(from: a, to: b)
            _ = TileProofBuilder.tilesForRoot(treeSize: b)
            _ = Tile.tile(level: Int(a % 70), index: b, treeSize: a)
        }
    }
}
