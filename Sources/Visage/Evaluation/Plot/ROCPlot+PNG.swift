import Foundation

/// The raster rendering of a ``ROCPlot``.
extension ROCPlot {
    /// The plot as an RGB image.
    public func image() -> Image {
        var canvas = RasterCanvas(width: width, height: height)
        let grid: RasterCanvas.Color = (225, 225, 225), ink: RasterCanvas.Color = (0, 0, 0)
        let low = smallestExponent
        for exponent in low...0 {
            let position = Int(x(pow(10, Double(exponent))).rounded())
            canvas.line(x0: position, y0: plotTop, x1: position, y1: plotBottom, grid)
            let label = Self.tickLabel(exponent: exponent)
            canvas.text(label, x: position - BitmapFont.width(of: label) / 2, y: plotBottom + 8, ink)
        }
        for tenth in 0...10 {
            let position = Int(y(Double(tenth) / 10).rounded())
            canvas.line(x0: plotLeft, y0: position, x1: plotRight, y1: position, grid)
            let label = String(format: "%.1f", Double(tenth) / 10)
            canvas.text(label, x: plotLeft - 8 - BitmapFont.width(of: label), y: position - BitmapFont.height / 2, ink)
        }
        canvas.line(x0: plotLeft, y0: plotBottom, x1: plotRight, y1: plotBottom, ink)
        canvas.line(x0: plotLeft, y0: plotTop, x1: plotLeft, y1: plotBottom, ink)
        let xLabel = "FALSE ACCEPT RATE (LOG SCALE)"
        canvas.text(xLabel, x: (plotLeft + plotRight - 2 * BitmapFont.width(of: xLabel)) / 2, y: height - 26, ink,
                    scale: 2)
        canvas.text("TRUE ACCEPT RATE", x: plotLeft, y: plotTop - 12, ink)
        canvas.text(title, x: (width - 2 * BitmapFont.width(of: title)) / 2, y: 8, ink, scale: 2)

        for (index, curve) in curves.enumerated() {
            let color = Self.colors[index % Self.colors.count]
            let points = path(of: curve)
            for (start, end) in zip(points, points.dropFirst()) {
                canvas.line(x0: Int(start.x.rounded()), y0: Int(start.y.rounded()), x1: Int(end.x.rounded()),
                            y1: Int(end.y.rounded()), color, thickness: 2, dash: index >= Self.colors.count ? 6 : 0)
            }
        }

        let entries = legendEntries
        let lineHeight = 14
        let boxWidth = 40 + (entries.map(BitmapFont.width(of:)).max() ?? 0)
        let boxRight = plotRight - 10, boxBottom = plotBottom - 10
        let boxLeft = boxRight - boxWidth, boxTop = boxBottom - lineHeight * entries.count - 8
        canvas.fill(x0: boxLeft, y0: boxTop, x1: boxRight, y1: boxBottom, (255, 255, 255))
        for (x0, y0, x1, y1) in [(boxLeft, boxTop, boxRight, boxTop), (boxLeft, boxBottom, boxRight, boxBottom),
                                 (boxLeft, boxTop, boxLeft, boxBottom), (boxRight, boxTop, boxRight, boxBottom)] {
            canvas.line(x0: x0, y0: y0, x1: x1, y1: y1, ink)
        }
        for (index, entry) in entries.enumerated() {
            let top = boxTop + 6 + index * lineHeight
            canvas.line(x0: boxLeft + 6, y0: top + 3, x1: boxLeft + 28, y1: top + 3, Self.colors[index % Self.colors.count],
                        thickness: 2, dash: index >= Self.colors.count ? 6 : 0)
            canvas.text(entry, x: boxLeft + 34, y: top, ink)
        }
        return canvas.image
    }

    /// The plot as PNG bytes.
    public func pngData() throws -> [UInt8] {
        try ImageCodec.encodePNG(image())
    }
}
