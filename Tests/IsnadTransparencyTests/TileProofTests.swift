import Testing
@testable import IsnadTransparency

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

    @Test("a log rebuilt from its tiles equals the original; a damaged tile is detected")
    func restore() throws {
        let original = Self.log(70_000)
        for n: UInt64 in [0, 1, 256, 65_536, 70_000] {
            let restored = try MerkleLog(treeSize: n, restoringFrom: LogTileReader(log: original))
            #expect(restored.size == n)
            #expect(restored.rootHash() == (try original.rootHash(treeSize: n)))
        }
        let damaged = try Tile(level: 1, index: 1, width: 17)
        expectCode(.malformedTile) { _ = try MerkleLog(treeSize: 70_000, restoringFrom: LogTileReader(log: original, corrupt: damaged)) }
        struct Failing: TileReader {
            struct Gone: Error {}
            func readTile(_ tile: Tile) throws -> [UInt8] { throw Gone() }
        }
        expectCode(.missingTile) { _ = try MerkleLog(treeSize: 1, restoringFrom: Failing()) }
    }
}
