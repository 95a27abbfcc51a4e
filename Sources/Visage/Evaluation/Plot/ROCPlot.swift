import Foundation

/// ROC curves of one or more verifiers in one figure: TAR against FAR on a logarithmic axis, with grid, axis
/// labels and a legend; drawn as a PNG (bitmap font, no external dependencies) or as SVG text.
public struct ROCPlot: Sendable {
    /// One curve and its legend entry.
    public struct Curve: Sendable {
        /// The legend entry.
        public var name: String
        /// The operating points to draw.
        public var roc: ROCCurve

        /// A curve named `name`.
        public init(name: String, roc: ROCCurve) {
            self.name = name
            self.roc = roc
        }
    }

    /// The heading above the plot.
    public var title: String
    /// The curves, drawn in order with distinct colours.
    public var curves: [Curve]
    /// Figure width in pixels (SVG user units).
    public var width: Int
    /// Figure height in pixels (SVG user units).
    public var height: Int

    /// A plot of `curves`.
    /// - Throws: ``DataError/invalidArgument(_:)`` when there is no curve or the size is too small for the axes.
    public init(title: String = "ROC", curves: [Curve], width: Int = 800, height: Int = 600) throws {
        guard !curves.isEmpty else { throw DataError.invalidArgument("a ROC plot needs at least one curve") }
        guard width >= 320, height >= 240 else {
            throw DataError.invalidArgument("a ROC plot needs at least 320×240 pixels, got \(width)×\(height)")
        }
        self.title = title
        self.curves = curves
        self.width = width
        self.height = height
    }

    /// The curves of the verification results in `report`, named after their features and pair list.
    public init(report: EvaluationReport, width: Int = 800, height: Int = 600) throws {
        let names = report.verification.map(\.name)
        let distinct = Set(names).count == names.count
        try self.init(curves: report.verification.map {
            Curve(name: distinct ? $0.name : "\($0.name) \(URL(fileURLWithPath: $0.pairList).lastPathComponent)",
                  roc: $0.roc)
        }, width: width, height: height)
    }

    // MARK: Layout shared by the PNG and SVG renderings

    static let colors: [RasterCanvas.Color] = [
        (31, 119, 180), (214, 39, 40), (44, 160, 44), (255, 127, 14), (148, 103, 189), (140, 86, 75),
        (227, 119, 194), (127, 127, 127),
    ]
    static let leftMargin = 70, rightMargin = 20, topMargin = 40, bottomMargin = 60

    /// The FAR axis spans 10^`smallestExponent` … 1: one decade below the smallest measurable FAR of any curve
    /// is not shown, since nothing can be read there.
    var smallestExponent: Int {
        let smallest = curves.compactMap { $0.roc.measurableFalseAcceptRates.last }.min() ?? 0.1
        return Int(log10(smallest).rounded())
    }

    var plotLeft: Int { Self.leftMargin }
    var plotRight: Int { width - Self.rightMargin }
    var plotTop: Int { Self.topMargin }
    var plotBottom: Int { height - Self.bottomMargin }

    /// Canvas x of `falseAcceptRate`, clamped to the axis (FAR 0 sits on the left edge).
    func x(_ falseAcceptRate: Double) -> Double {
        let low = Double(smallestExponent)
        let value = min(max(log10(max(falseAcceptRate, 1e-300)), low), 0)
        return Double(plotLeft) + (value - low) / -low * Double(plotRight - plotLeft)
    }

    /// Canvas y of `trueAcceptRate`.
    func y(_ trueAcceptRate: Double) -> Double {
        Double(plotBottom) - trueAcceptRate * Double(plotBottom - plotTop)
    }

    /// Legend lines: name and AUC.
    var legendEntries: [String] {
        curves.map { "\($0.name) (AUC " + String(format: "%.4f", $0.roc.areaUnderCurve) + ")" }
    }

    /// The curve's points in canvas coordinates, consecutive duplicates dropped. Of the points left of the FAR
    /// axis only the last (highest TAR) is kept, on the left edge.
    func path(of curve: Curve) -> [(x: Double, y: Double)] {
        let smallest = pow(10, Double(smallestExponent))
        let points = curve.roc.points
        let firstShown = points.firstIndex { $0.falseAcceptRate >= smallest } ?? points.count
        var result: [(x: Double, y: Double)] = []
        for point in points[max(firstShown - 1, 0)...] {
            let next = (x: x(point.falseAcceptRate), y: y(point.trueAcceptRate))
            if let last = result.last, abs(last.x - next.x) < 0.25, abs(last.y - next.y) < 0.25 { continue }
            result.append(next)
        }
        return result
    }

    static func tickLabel(exponent: Int) -> String {
        exponent == 0 ? "1" : "1e\(exponent)"
    }
}
