/// Supplies tile bodies to ``TileProofBuilder``; the caller implements it over HTTP, a file
/// store or a cache (c2sp.org/tlog-tiles, Merkle Tree).
///
/// Fetch only tiles named by ``TileProofBuilder`` for a tree size taken from a verified
/// checkpoint: logs need not serve arbitrary partial tiles.
public protocol TileReader {
    /// The bytes of `tile`: exactly `tile.width · 32` bytes.
    /// - Parameter tile: a full tile, or the partial tile of the checkpoint's tree size.
    /// - Throws: any error; it is reported as ``TransparencyError/Code/missingTile`` with the cause attached.
    func readTile(_ tile: Tile) throws -> [UInt8]
}
