import Foundation

/// The vector rendering of a ``ROCPlot``.
extension ROCPlot {
    /// The plot as an SVG document.
    public func svg() -> String {
        func number(_ value: Double) -> String { String(format: "%.2f", value) }
        func color(_ index: Int) -> String {
            let c = Self.colors[index % Self.colors.count]
            return String(format: "#%02x%02x%02x", c.red, c.green, c.blue)
        }
        var parts = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" "
                + "viewBox=\"0 0 \(width) \(height)\" font-family=\"sans-serif\" font-size=\"12\">",
            "<rect width=\"\(width)\" height=\"\(height)\" fill=\"white\"/>",
            "<text x=\"\(width / 2)\" y=\"24\" text-anchor=\"middle\" font-size=\"16\">\(Self.escape(title))</text>",
        ]
        for exponent in smallestExponent...0 {
            let position = number(x(pow(10, Double(exponent))))
            parts.append("<line x1=\"\(position)\" y1=\"\(plotTop)\" x2=\"\(position)\" y2=\"\(plotBottom)\" "
                + "stroke=\"#e1e1e1\"/>")
            parts.append("<text x=\"\(position)\" y=\"\(plotBottom + 18)\" text-anchor=\"middle\">"
                + "\(Self.tickLabel(exponent: exponent))</text>")
        }
        for tenth in 0...10 {
            let position = number(y(Double(tenth) / 10))
            parts.append("<line x1=\"\(plotLeft)\" y1=\"\(position)\" x2=\"\(plotRight)\" y2=\"\(position)\" "
                + "stroke=\"#e1e1e1\"/>")
            parts.append("<text x=\"\(plotLeft - 8)\" y=\"\(position)\" text-anchor=\"end\" dominant-baseline=\"middle\">"
                + String(format: "%.1f", Double(tenth) / 10) + "</text>")
        }
        parts.append("<path d=\"M\(plotLeft) \(plotTop)V\(plotBottom)H\(plotRight)\" fill=\"none\" stroke=\"black\"/>")
        parts.append("<text x=\"\((plotLeft + plotRight) / 2)\" y=\"\(height - 14)\" text-anchor=\"middle\">"
            + "False accept rate (log scale)</text>")
        parts.append("<text transform=\"translate(16 \((plotTop + plotBottom) / 2)) rotate(-90)\" "
            + "text-anchor=\"middle\">True accept rate</text>")
        for (index, curve) in curves.enumerated() {
            let d = path(of: curve).enumerated().map { ($0.offset == 0 ? "M" : "L") + number($0.element.x) + " "
                + number($0.element.y) }.joined()
            parts.append("<path d=\"\(d)\" fill=\"none\" stroke=\"\(color(index))\" stroke-width=\"2\""
                + (index >= Self.colors.count ? " stroke-dasharray=\"6 6\"" : "") + "/>")
        }
        let entries = legendEntries
        let boxWidth = 40 + 7 * (entries.map(\.count).max() ?? 0)
        let boxHeight = 18 * entries.count + 8
        let boxLeft = plotRight - 10 - boxWidth, boxTop = plotBottom - 10 - boxHeight
        parts.append("<rect x=\"\(boxLeft)\" y=\"\(boxTop)\" width=\"\(boxWidth)\" height=\"\(boxHeight)\" "
            + "fill=\"white\" stroke=\"black\"/>")
        for (index, entry) in entries.enumerated() {
            let middle = boxTop + 13 + 18 * index
            parts.append("<line x1=\"\(boxLeft + 6)\" y1=\"\(middle)\" x2=\"\(boxLeft + 28)\" y2=\"\(middle)\" "
                + "stroke=\"\(color(index))\" stroke-width=\"2\""
                + (index >= Self.colors.count ? " stroke-dasharray=\"6 6\"" : "") + "/>")
            parts.append("<text x=\"\(boxLeft + 34)\" y=\"\(middle)\" dominant-baseline=\"middle\">"
                + "\(Self.escape(entry))</text>")
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n") + "\n"
    }

    /// `text` with XML's special characters escaped.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
