/// Equal-size images tiled row by row on a white background (contact sheets, reconstruction figures).
public enum ImageGrid {
    /// Width and height of a grid of `count` tiles of `tileWidth`×`tileHeight`, `columns` to a row (the last row
    /// may be partly empty), separated by `spacing` pixels.
    public static func size(count: Int, columns: Int, tileWidth: Int, tileHeight: Int,
                            spacing: Int) -> (width: Int, height: Int) {
        let used = min(columns, count), rows = (count + columns - 1) / columns
        return (used * (tileWidth + spacing) - spacing, rows * (tileHeight + spacing) - spacing)
    }

    /// `tiles` in row-major order, `columns` to a row, separated by `spacing` white pixels. The grid has the
    /// most channels of any tile; gray tiles in a colour grid are replicated to RGB.
    /// - Throws: ``DataError/invalidArgument(_:)`` when there are no tiles, `columns` is not positive, `spacing`
    ///   is outside 0...64, or the tiles differ in size.
    public static func render(_ tiles: [Image], columns: Int, spacing: Int = 2) throws -> Image {
        guard let first = tiles.first else { throw DataError.invalidArgument("an image grid needs at least one tile") }
        guard columns > 0 else { throw DataError.invalidArgument("an image grid needs a positive column count, got \(columns)") }
        guard (0...64).contains(spacing) else {
            throw DataError.invalidArgument("the spacing of an image grid must be within 0...64, got \(spacing)")
        }
        let tileWidth = first.width, tileHeight = first.height
        if let index = tiles.firstIndex(where: { $0.width != tileWidth || $0.height != tileHeight }) {
            throw DataError.invalidArgument(
                "grid tile \(index) is \(tiles[index].width)×\(tiles[index].height), tile 0 is \(tileWidth)×\(tileHeight)")
        }
        let channels = tiles.map(\.channels).max()!
        let (width, height) = size(count: tiles.count, columns: columns, tileWidth: tileWidth, tileHeight: tileHeight,
                                   spacing: spacing)
        var grid = Image(width: width, height: height, channels: channels, fill: 255)
        let rowBytes = tileWidth * channels
        for (index, tile) in tiles.enumerated() {
            let pixels = tile.converted(toChannels: channels).pixels
            let x0 = index % columns * (tileWidth + spacing), y0 = index / columns * (tileHeight + spacing)
            for y in 0..<tileHeight {
                let target = ((y0 + y) * width + x0) * channels
                grid.pixels.replaceSubrange(target..<(target + rowBytes), with: pixels[(y * rowBytes)..<((y + 1) * rowBytes)])
            }
        }
        return grid
    }
}
