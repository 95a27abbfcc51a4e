import Foundation
import FoundationXML
import Testing
@testable import Visage

/// ROC plots render to a decodable PNG of the requested size and to well-formed SVG, several curves at once.
@Suite("ROC plot")
struct ROCPlotTests {
    static func plot() throws -> ROCPlot {
        let scores = (0..<400).map { Double($0 % 97) / 97 + ($0 < 200 ? 0.3 : 0) }
        let good = try ROCCurve(ScoredPairs(scores: scores, isMatch: scores.indices.map { $0 < 200 }))
        let bad = try ROCCurve(ScoredPairs(scores: scores.reversed(), isMatch: scores.indices.map { $0 < 200 }))
        return try ROCPlot(curves: [.init(name: "dlib", roc: good), .init(name: "model <b> & co", roc: bad)],
                           width: 640, height: 480)
    }

    @Test("the PNG decodes back with the plot's size and has coloured curve pixels")
    func png() throws {
        let image = try ImageCodec.decode(try Self.plot().pngData())
        #expect(image.width == 640 && image.height == 480 && image.channels == 3)
        let blue = (0..<(640 * 480)).contains { image.pixels[3 * $0] == 31 && image.pixels[3 * $0 + 2] == 180 }
        #expect(blue)
    }

    @Test("the SVG is well-formed XML with one path per curve and escaped legend text")
    func svg() throws {
        let text = try Self.plot().svg()
        let parser = XMLParser(data: Data(text.utf8))
        #expect(parser.parse())
        #expect(text.components(separatedBy: "stroke-width=\"2\"").count - 1 == 4)  // 2 curves + 2 legend lines
        #expect(text.contains("model &lt;b&gt; &amp; co"))
    }

    @Test("a plot needs a curve and room for its axes")
    func badPlot() throws {
        #expect(throws: DataError.self) { try ROCPlot(curves: []) }
        #expect(throws: DataError.self) { try ROCPlot(curves: Self.plot().curves, width: 100, height: 100) }
    }
}
