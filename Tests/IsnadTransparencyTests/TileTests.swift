import Testing
@testable import IsnadTransparency

@Suite("tlog-tiles")
struct TileTests {
    @Test("tile paths follow the spec's examples and round-trip")
    func paths() throws {
        // c2sp.org/tlog-tiles: "index 1234067 will be encoded as x001/x234/067".
        #expect(try Tile(level: 0, index: 1_234_067).path == "tile/0/x001/x234/067")
        #expect(try Tile(level: 2, index: 1_234_067, width: 8).path == "tile/2/x001/x234/067.p/8")
        #expect(try Tile(level: 0, index: 1_234_067, width: 8).entriesPath == "tile/entries/x001/x234/067.p/8")
        #expect(try Tile(level: 0, index: 0).path == "tile/0/000")
        #expect(try Tile(level: 1, index: 999).path == "tile/1/999")
        #expect(try Tile(level: 1, index: 1000).path == "tile/1/x001/000")
        #expect(try Tile(level: 63, index: UInt64.max).path == "tile/63/x018/x446/x744/x073/x709/x551/615")
        for tile in [
            try Tile(level: 0, index: 0), try Tile(level: 0, index: 1_234_067, width: 1),
            try Tile(level: 5, index: 1_000_000, width: 255), try Tile(level: 63, index: UInt64.max),
        ] {
            #expect(try Tile(path: tile.path) == tile)
        }
    }

    @Test("non-canonical or malformed tile paths are rejected")
    func badPaths() {
        let bad = [
            "tile/0/1234067", "tile/0/x001/x234/67", "tile/0/001/234/067", "tile/0/x000/001",
            "tile/00/000", "tile/64/000", "tile/-1/000", "tile/0/000.p/0", "tile/0/000.p/256",
            "tile/0/000.p/07", "tile/0/000.p/", "tile/0/000.p", "tile/0/", "tile/0", "tiles/0/000",
            "tile/0/x018/x446/x744/x073/x709/x551/616", "tile/0/x1000/000", "tile/0/000/", "/tile/0/000",
            "tile/entries/000", "tile/0/0a0", "tile/0/+00",
        ]
        for path in bad { expectCode(.malformedTile) { _ = try Tile(path: path) } }
    }

    @Test("tiles of a tree follow the spec's 70,000 and 256 examples")
    func tilesForSize() {
        let tiles = Tile.tiles(treeSize: 70_000)
        let level0 = tiles.filter { $0.level == 0 }
        #expect(level0.filter(\.isFull).count == 273)
        #expect(level0.filter { !$0.isFull }.map(\.width) == [112])
        #expect(tiles.filter { $0.level == 1 }.map(\.width) == [256, 17])
        #expect(tiles.filter { $0.level == 2 }.map(\.width) == [1])
        #expect(tiles.count == 277)
        let small = Tile.tiles(treeSize: 256)
        #expect(small.map(\.path) == ["tile/0/000", "tile/1/000.p/1"])
        #expect(Tile.tiles(treeSize: 0).isEmpty)
    }

    @Test("tile bytes are the log's level-8L hashes; level-1 hashes are MTH of 256 entries")
    func tileData() throws {
        var log = MerkleLog()
        for i in 0..<70_000 { log.append(Array("entry \(i)".utf8)) }
        let tile = try Tile(level: 1, index: 0, width: 256)
        let data = try log.tileData(tile)
        #expect(data.count == 8192)
        let hashes = try tile.hashes(from: data)
        let first256 = (0..<256).map { Array("entry \($0)".utf8) }
        #expect(hashes[0] == MerkleTreeHash.rootHash(entries: first256))
        let partial = try log.tileData(try Tile(level: 1, index: 1, width: 17))
        #expect(partial.count == 17 * 32)
        expectCode(.indexOutOfRange) { _ = try log.tileData(try Tile(level: 1, index: 1, width: 18)) }
        expectCode(.malformedTile) { _ = try tile.hashes(from: Array(data.dropLast())) }
        expectCode(.indexOutOfRange) { _ = try log.tileData(try Tile(path: "tile/0/x018/x446/x744/x073/x709/x551/615")) }
        expectCode(.indexOutOfRange) { _ = try log.tileData(try Tile(level: 63, index: 0, width: 1)) }
    }

    @Test("entry bundles encode as uint16 big-endian length-prefixed entries")
    func entryBundles() throws {
        let bundle = try EntryBundle(entries: [[], [0x41], Array(repeating: 7, count: 300)])
        let bytes = bundle.encoded()
        #expect(Array(bytes[0..<5]) == [0x00, 0x00, 0x00, 0x01, 0x41])
        #expect(Array(bytes[5..<7]) == [0x01, 0x2c])
        #expect(bytes.count == 2 + 3 + 2 + 300)
        #expect(try EntryBundle(decoding: bytes, width: 3) == bundle)
        expectCode(.malformedTile) { _ = try EntryBundle(decoding: bytes, width: 4) }
        expectCode(.malformedTile) { _ = try EntryBundle(decoding: Array(bytes.dropLast())) }
        expectCode(.malformedTile) { _ = try EntryBundle(decoding: bytes + [0x00]) }
        expectCode(.malformedTile) { _ = try EntryBundle(decoding: []) }
        expectCode(.malformedTile) { _ = try EntryBundle(entries: [Array(repeating: 0, count: 65_536)]) }
        #expect(bundle.leafHashes()[1] == MerkleTreeHash.leafHash([0x41]))
    }
}

/// Serves tiles out of a ``MerkleLog``, optionally corrupting one, and counts reads.
final class LogTileReader: TileReader {
    let log: MerkleLog
    let corrupt: Tile?
    private(set) var reads: [Tile] = []

    init(log: MerkleLog, corrupt: Tile? = nil) {
        self.log = log
        self.corrupt = corrupt
    }

    func readTile(_ tile: Tile) throws -> [UInt8] {
        reads.append(tile)
        var data = try log.tileData(tile)
        if tile == corrupt { data[data.count - 1] ^= 1 }
        return data
    }
}

@Suite("proofs derived from tiles")
struct TileProofTests {
    static func log(_ size: Int) -> MerkleLog {
        var log = MerkleLog()
        for i in 0..<size { log.append(Array("e\(i)".utf8)) }
        return log
    }

    @Test("tile-derived roots and proofs equal the log's for sizes across tile boundaries")
    func matchesLog() throws {
        let full = Self.log(70_000)
        for n: UInt64 in [1, 2, 255, 256, 257, 511, 512, 65_535, 65_536, 65_537, 69_999, 70_000] {
            let reader = LogTileReader(log: full)
            let planned = TileProofBuilder.tilesForRoot(treeSize: n)
            var fetched: [Tile: [UInt8]] = [:]
            for tile in planned { fetched[tile] = try full.tileData(tile) }
            #expect(try TileProofBuilder.rootHash(treeSize: n, tiles: fetched) == full.rootHash(treeSize: n))
            for m in Set([0, n / 2, n - 1, min(n - 1, 256)]) {
                let expected = try full.inclusionProof(leafIndex: m, treeSize: n)
                #expect(try TileProofBuilder.inclusionProof(leafIndex: m, treeSize: n, reader: reader) == expected)
                let tiles = try TileProofBuilder.tilesForInclusion(leafIndex: m, treeSize: n)
                var onlyPlanned: [Tile: [UInt8]] = [:]
                for tile in tiles { onlyPlanned[tile] = try full.tileData(tile) }
                #expect(try TileProofBuilder.inclusionProof(leafIndex: m, treeSize: n, tiles: onlyPlanned) == expected)
            }
            for first in Set([1, n / 3 + 1, n]) where first <= n {
                let expected = try full.consistencyProof(from: first, to: n)
                #expect(try TileProofBuilder.consistencyProof(from: first, to: n, reader: reader) == expected)
                var onlyPlanned: [Tile: [UInt8]] = [:]
                for tile in try TileProofBuilder.tilesForConsistency(from: first, to: n) {
                    onlyPlanned[tile] = try full.tileData(tile)
                }
                #expect(try TileProofBuilder.consistencyProof(from: first, to: n, tiles: onlyPlanned) == expected)
            }
            // Proofs read only tiles that exist for size n, never arbitrary partial ones.
            let existing = Set(Tile.tiles(treeSize: n))
            #expect(reader.reads.allSatisfy { existing.contains($0) })
        }
    }

    @Test("a full tile may stand in for the partial tile; a missing tile is reported")
    func fallbackAndMissing() throws {
        let log = Self.log(600)
        let small: UInt64 = 300
        var tiles: [Tile: [UInt8]] = [:]
        for tile in TileProofBuilder.tilesForRoot(treeSize: small) {
            // Supply the full level-0 tile 1 from the bigger log in place of tile/0/001.p/44.
            let replacement = tile.isFull || tile.level > 0 ? tile : try Tile(level: tile.level, index: tile.index)
            tiles[replacement] = try log.tileData(replacement)
        }
        #expect(try TileProofBuilder.rootHash(treeSize: small, tiles: tiles) == log.rootHash(treeSize: small))
        expectCode(.missingTile) { _ = try TileProofBuilder.rootHash(treeSize: small, tiles: [:]) }
    }

    @Test("a corrupted tile makes the derived proof fail verification")
    func corruptedTile() throws {
        let log = Self.log(5000)
        let n: UInt64 = 4321
        let root = try log.rootHash(treeSize: n)
        let index: UInt64 = 1234
        let leaf = MerkleTreeHash.leafHash(Array("e\(index)".utf8))
        let needed = try TileProofBuilder.tilesForInclusion(leafIndex: index, treeSize: n)
        #expect(!needed.isEmpty)
        for tile in needed {
            let proof = try TileProofBuilder.inclusionProof(
                leafIndex: index, treeSize: n, reader: LogTileReader(log: log, corrupt: tile))
            // Corrupting the tile's last hash affects the proof only if that hash is used;
            // when it is, verification must fail with a root mismatch.
            let honest = try log.inclusionProof(leafIndex: index, treeSize: n)
            if proof != honest {
                expectCode(.inclusionRootMismatch) {
                    try MerkleProofVerifier.verifyInclusion(
                        leafHash: leaf, leafIndex: index, treeSize: n, proof: proof, rootHash: root)
                }
            }
        }
        // Corrupting a hash that is used: the level-0 tile holding the leaf's sibling.
        let siblingTile = try Tile(level: 0, index: 1235 / 256)
        var data = try log.tileData(siblingTile)
        data[(1235 % 256) * 32] ^= 0x80
        var tiles: [Tile: [UInt8]] = [siblingTile: data]
        for tile in needed where tile != siblingTile { tiles[tile] = try log.tileData(tile) }
        let bad = try TileProofBuilder.inclusionProof(leafIndex: index, treeSize: n, tiles: tiles)
        expectCode(.inclusionRootMismatch) {
            try MerkleProofVerifier.verifyInclusion(leafHash: leaf, leafIndex: index, treeSize: n, proof: bad, rootHash: root)
        }
        expectCode(.malformedTile) {
            _ = try TileProofBuilder.inclusionProof(
                leafIndex: index, treeSize: n, tiles: [siblingTile: Array(data.dropLast())])
        }
    }
}
