/// dlib's tiled image pyramid (`create_tiled_pyramid`, `input_rgb_image_pyramid`): an image and its successive
/// `pyramid_down<N>` reductions packed into one larger image, so that one pass of a convolutional network scans
/// every scale.
///
/// The layout, as dlib computes it: level 0 is the image itself; each next level is ⌊(N−1)/N · size⌋ of the
/// previous one (⌊5/6⌋ for dlib's face detector), until a level would have fewer than 5 rows. Levels go down the
/// left edge, `padding` pixels apart, until the next level fits beside the previous ones and the column has
/// covered at least half of the total height below level 0; the rest go up the right edge from the bottom,
/// dropped once one would touch level 0. Everything sits inside `outerPadding` pixels of zeros.
struct TiledPyramid: Equatable {
    /// One level's place in the tiled image, in pixels (`right` and `bottom` inclusive, as in dlib).
    struct Level: Equatable {
        var left: Int
        var top: Int
        var width: Int
        var height: Int

        var right: Int { left + width - 1 }
        var bottom: Int { top + height - 1 }

        func intersects(_ other: Level) -> Bool {
            max(left, other.left) <= min(right, other.right) && max(top, other.top) <= min(bottom, other.bottom)
        }
    }

    /// dlib's `N` in `pyramid_down<N>`: each level is (N−1)/N the size of the previous one.
    let downsampling: Int
    /// Levels, largest (the image) first.
    let levels: [Level]
    /// Width of the tiled image.
    let width: Int
    /// Height of the tiled image.
    let height: Int

    /// The layout for an image of `imageWidth` × `imageHeight` pixels.
    init(imageWidth: Int, imageHeight: Int, downsampling: Int = 6, padding: Int = 10, outerPadding: Int = 11) {
        self.downsampling = downsampling
        guard imageWidth > 0, imageHeight > 0 else {
            levels = []
            width = 0
            height = 0
            return
        }
        let sizes = Self.levelSizes(width: imageWidth, height: imageHeight, downsampling: downsampling)
        let first = sizes[0]
        let totalHeight = sizes.reduce(0) { $0 + $1.height + padding } - 2 * padding
        var columnHeight = 0
        var previousWidth = 0
        for size in sizes {
            if size.width <= first.width - previousWidth - padding,
               (columnHeight - first.height) * 2 >= totalHeight - first.height {
                break
            }
            columnHeight += size.height + padding
            previousWidth = size.width
        }
        columnHeight -= padding
        height = columnHeight + 2 * outerPadding
        width = first.width + 2 * outerPadding

        var placed = [Level]()
        var y = outerPadding
        var index = 0
        while y < columnHeight + outerPadding, index < sizes.count {
            placed.append(Level(left: outerPadding, top: y, width: sizes[index].width, height: sizes[index].height))
            y += sizes[index].height + padding
            index += 1
        }
        y -= padding
        while index < sizes.count {
            let right = outerPadding + first.width - 1, bottom = y - 1
            let level = Level(left: right - sizes[index].width + 1, top: bottom - sizes[index].height + 1,
                              width: sizes[index].width, height: sizes[index].height)
            if level.intersects(placed[0]) { break }
            placed.append(level)
            y -= sizes[index].height + padding
            index += 1
        }
        levels = placed
    }

    /// The sizes of the successive levels (before any are dropped by the layout), largest first.
    static func levelSizes(width: Int, height: Int, downsampling: Int = 6) -> [(width: Int, height: Int)] {
        let rate = Double(downsampling - 1) / Double(downsampling)
        var sizes = [(width: width, height: height)]
        var (columns, rows) = (width, height)
        while true {
            rows = Int((rate * Double(rows)).rounded(.down))
            columns = Int((rate * Double(columns)).rounded(.down))
            if rows * columns == 0 || rows < 5 { break }
            sizes.append((columns, rows))
        }
        return sizes
    }

    /// A box in the tiled image mapped back to the original image (dlib's `tiled_pyramid_to_image`): the level
    /// nearest the box's centre, then `pyramid_down<N>::point_up` once per level (p · N/(N−1) + 0.3).
    func imageBox(left: Double, top: Double, right: Double, bottom: Double)
        -> (left: Double, top: Double, right: Double, bottom: Double) {
        let centerX = ((left + right) / 2 + 0.5).rounded(.down)
        let centerY = ((top + bottom) / 2 + 0.5).rounded(.down)
        let index = nearestLevel(x: centerX, y: centerY)
        let origin = levels[index]
        let ratio = Double(downsampling) / Double(downsampling - 1)
        func up(_ value: Double) -> Double {
            var value = value
            for _ in 0..<index { value = value * ratio + 0.3 }
            return value
        }
        return (up(left - Double(origin.left)), up(top - Double(origin.top)),
                up(right - Double(origin.left)), up(bottom - Double(origin.top)))
    }

    /// dlib's `nearest_rect`: the first level containing the point, else the one at the least distance.
    private func nearestLevel(x: Double, y: Double) -> Int {
        var best = 0
        var bestDistance = Double.infinity
        for (index, level) in levels.enumerated() {
            let nearestX = min(max(x, Double(level.left)), Double(level.right))
            let nearestY = min(max(y, Double(level.top)), Double(level.bottom))
            if nearestX == x, nearestY == y { return index }
            let distance = ((nearestX - x) * (nearestX - x) + (nearestY - y) * (nearestY - y)).squareRoot()
            if distance < bestDistance {
                bestDistance = distance
                best = index
            }
        }
        return best
    }
}
