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
        #expect(try Tile(entriesPath: "tile/entries/x001/x234/067.p/8") == Tile(level: 0, index: 1_234_067, width: 8))
        expectCode(.malformedTile) { _ = try Tile(entriesPath: "tile/0/000") }
        expectCode(.malformedTile) { _ = try Tile(entriesPath: "tile/entries/1234") }
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
