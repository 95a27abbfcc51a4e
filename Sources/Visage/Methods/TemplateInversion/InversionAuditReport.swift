import Foundation

/// The result of `visage audit invert`: for each engine that scored the reconstructions, the attack's success
/// rates (``InversionAttackScores``) and, on a pair protocol, verification accuracy with one image of every
/// matched pair replaced by its reconstruction beside the real pairs'.
public struct InversionAuditReport: Sendable, Codable, Equatable {
    /// Verification on a pair list at the engine's threshold.
    public struct PairProtocol: Sendable, Codable, Equatable {
        public var pairs: String
        public var pairCount: Int
        public var threshold: Double
        /// Accuracy with every pair real.
        public var realAccuracy: Double
        /// Accuracy with the second image of every matched pair replaced by its reconstruction.
        public var attackAccuracy: Double
        /// Fraction of matched pairs accepted with the reconstruction (real: the real matched pairs').
        public var attackMatchedAccepted: Double
        public var realMatchedAccepted: Double

        public init(pairs: String, pairCount: Int, threshold: Double, realAccuracy: Double, attackAccuracy: Double,
                    attackMatchedAccepted: Double, realMatchedAccepted: Double) {
            self.pairs = pairs
            self.pairCount = pairCount
            self.threshold = threshold
            self.realAccuracy = realAccuracy
            self.attackAccuracy = attackAccuracy
            self.attackMatchedAccepted = attackMatchedAccepted
            self.realMatchedAccepted = realMatchedAccepted
        }
    }

    /// One engine's view of the reconstructions.
    public struct EngineResult: Sendable, Codable, Equatable {
        /// Whether this is the engine whose templates were inverted (false: transfer to a second engine).
        public var isTarget: Bool
        public var scores: InversionAttackScores
        public var pairProtocol: PairProtocol?

        public init(isTarget: Bool, scores: InversionAttackScores, pairProtocol: PairProtocol?) {
            self.isTarget = isTarget
            self.scores = scores
            self.pairProtocol = pairProtocol
        }
    }

    public var inverter: String
    public var method: String
    public var templates: String
    public var images: Int
    /// Reconstructions per second (the generator alone).
    public var templatesPerSecond: Double
    public var engines: [EngineResult]
    /// The grid image's file name, when one was written.
    public var grid: String?

    public init(inverter: String, method: String, templates: String, images: Int, templatesPerSecond: Double,
                engines: [EngineResult], grid: String?) {
        self.inverter = inverter
        self.method = method
        self.templates = templates
        self.images = images
        self.templatesPerSecond = templatesPerSecond
        self.engines = engines
        self.grid = grid
    }

    /// The report as Markdown.
    public func markdown() -> String {
        func percent(_ value: Double?) -> String { value.map { String(format: "%.2f %%", $0 * 100) } ?? "—" }
        var lines = [
            "# Template-inversion audit", "",
            "- inverter: `\(inverter)` (\(method))",
            "- templates: `\(templates)`, \(images) images",
            String(format: "- reconstruction speed: %.1f templates/s", templatesPerSecond), "",
        ]
        for engine in engines {
            let s = engine.scores
            lines.append("## \(s.engine)" + (engine.isTarget ? " (the inverted engine)" : " (transfer)"))
            lines.append("")
            lines.append(String(format: "Mean cosine between a reconstruction's template and its photo's: %.4f. ",
                                s.meanTypeICosine)
                + "\(s.impostorPairs) real impostor pairs set the FAR thresholds; \(s.typeIIPairs) type II pairs.")
            lines.append("")
            lines.append("| threshold | cosine | FAR (real impostors) | type I accepted | type II accepted |")
            lines.append("|---|---|---|---|---|")
            for point in s.points {
                lines.append(String(format: "| %@ | %.4f | %@ | %@ | %@ |", point.name, point.threshold,
                                    percent(point.falseAcceptRate), percent(point.typeI), percent(point.typeII)))
            }
            if let p = engine.pairProtocol {
                lines.append("")
                lines.append(String(format: "%@ (%d pairs) at %.4f: real pairs %@ accuracy (%@ of matched accepted); "
                    + "one image of each matched pair reconstructed: %@ accuracy (%@ accepted).", p.pairs, p.pairCount,
                    p.threshold, percent(p.realAccuracy), percent(p.realMatchedAccepted), percent(p.attackAccuracy),
                    percent(p.attackMatchedAccepted)))
            }
            lines.append("")
        }
        if let grid { lines.append("![real | reconstruction](\(grid))"); lines.append("") }
        return lines.joined(separator: "\n")
    }
}
