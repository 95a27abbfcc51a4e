import Testing
@testable import Visage

@Suite("Image grid")
struct ImageGridTests {
    /// A `side`×`side` tile whose every byte is `value`.
    private func tile(_ value: UInt8, side: Int = 5, channels: Int = 3) -> Image {
        Image(width: side, height: side, channels: channels, fill: value)
    }

    @Test("the grid is as wide as its columns and as tall as its rows, gaps between tiles only",
          arguments: [(1, 4, 5, 5), (4, 4, 4 * 5 + 3 * 2, 5), (5, 4, 4 * 5 + 3 * 2, 2 * 5 + 2), (16, 8, 8 * 5 + 7 * 2, 2 * 5 + 2)])
    func size(count: Int, columns: Int, width: Int, height: Int) throws {
        let grid = try ImageGrid.render((0..<count).map { tile(UInt8($0)) }, columns: columns, spacing: 2)
        #expect(grid.width == width && grid.height == height)
        #expect(ImageGrid.size(count: count, columns: columns, tileWidth: 5, tileHeight: 5, spacing: 2) == (width, height))
    }

    @Test("tiles go row by row, gaps and empty cells are white, gray tiles become RGB in a colour grid")
    func placement() throws {
        let grid = try ImageGrid.render([tile(10), tile(20, channels: 1), tile(30)], columns: 2, spacing: 3)
        #expect(grid.channels == 3 && grid.width == 13 && grid.height == 13)
        #expect(grid[0, 0, 0] == 10 && grid[4, 4, 2] == 10)
        #expect(grid[8, 0, 0] == 20 && grid[12, 4, 1] == 20)
        #expect(grid[0, 8, 0] == 30 && grid[4, 12, 2] == 30)
        #expect(grid[6, 2, 0] == 255 && grid[2, 6, 1] == 255 && grid[10, 10, 2] == 255)
    }

    @Test("no tiles, a bad column count or spacing, and tiles of different sizes are refused")
    func refusals() {
        #expect(throws: DataError.self) { try ImageGrid.render([], columns: 2) }
        #expect(throws: DataError.self) { try ImageGrid.render([tile(0)], columns: 0) }
        #expect(throws: DataError.self) { try ImageGrid.render([tile(0)], columns: 1, spacing: -1) }
        #expect(throws: DataError.invalidArgument("grid tile 1 is 4×4, tile 0 is 5×5")) {
            try ImageGrid.render([tile(0), tile(0, side: 4)], columns: 2)
        }
    }
}
