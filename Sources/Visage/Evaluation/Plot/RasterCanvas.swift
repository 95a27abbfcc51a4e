/// An RGB image to draw plots on: lines of a given thickness, filled rectangles and bitmap-font text.
struct RasterCanvas {
    /// An RGB colour.
    typealias Color = (red: UInt8, green: UInt8, blue: UInt8)

    private(set) var image: Image

    /// A `width`×`height` canvas filled with white.
    init(width: Int, height: Int) {
        image = Image(width: width, height: height, channels: 3, fill: 255)
    }

    /// Sets the pixel at (`x`, `y`) when it is on the canvas.
    mutating func plot(_ x: Int, _ y: Int, _ color: Color) {
        guard x >= 0, y >= 0, x < image.width, y < image.height else { return }
        let offset = (y * image.width + x) * 3
        image.pixels[offset] = color.red
        image.pixels[offset + 1] = color.green
        image.pixels[offset + 2] = color.blue
    }

    /// Fills the rectangle with corners (`x0`, `y0`) and (`x1`, `y1`), both included.
    mutating func fill(x0: Int, y0: Int, x1: Int, y1: Int, _ color: Color) {
        for y in min(y0, y1)...max(y0, y1) {
            for x in min(x0, x1)...max(x0, x1) { plot(x, y, color) }
        }
    }

    /// A straight line (Bresenham) from (`x0`, `y0`) to (`x1`, `y1`), `thickness` pixels wide; with `dash` > 0,
    /// drawn `dash` pixels on, `dash` off.
    mutating func line(x0: Int, y0: Int, x1: Int, y1: Int, _ color: Color, thickness: Int = 1, dash: Int = 0) {
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var (x, y, error, step) = (x0, y0, dx + dy, 0)
        let low = -(thickness - 1) / 2, high = thickness / 2
        while true {
            if dash == 0 || (step / dash) % 2 == 0 {
                fill(x0: x + low, y0: y + low, x1: x + high, y1: y + high, color)
            }
            if x == x1 && y == y1 { break }
            let doubled = 2 * error
            if doubled >= dy { error += dy; x += sx }
            if doubled <= dx { error += dx; y += sy }
            step += 1
        }
    }

    /// Writes `text` with its top-left corner at (`x`, `y`), each font pixel `scale`×`scale` canvas pixels.
    mutating func text(_ text: String, x: Int, y: Int, _ color: Color, scale: Int = 1) {
        for (index, character) in text.enumerated() {
            let left = x + index * (BitmapFont.width + 1) * scale
            for row in 0..<BitmapFont.height {
                for column in 0..<BitmapFont.width where BitmapFont.isSet(character, x: column, y: row) {
                    fill(x0: left + column * scale, y0: y + row * scale,
                         x1: left + (column + 1) * scale - 1, y1: y + (row + 1) * scale - 1, color)
                }
            }
        }
    }
}
