import Foundation

/// The results of an evaluation run, written as JSON (for tools) and Markdown (for people).
public struct EvaluationReport: Sendable, Codable, Equatable {
    /// Verification results, one per features × pair list.
    public var verification: [VerificationResult]
    /// Identification results, each under a name.
    public var identification: [NamedIdentification]

    /// A named closed-set identification result.
    public struct NamedIdentification: Sendable, Codable, Equatable {
        /// What was evaluated (features, gallery and probe sets).
        public var name: String
        /// The ranks of the probes.
        public var result: ClosedSetIdentification
        /// The CMC curve up to this rank, in percent.
        public var cumulativeMatch: [Double]

        /// `result` under `name`, with its CMC up to `maxRank`.
        public init(name: String, result: ClosedSetIdentification, maxRank: Int = 10) {
            self.name = name
            self.result = result
            cumulativeMatch = result.cumulativeMatch(maxRank: maxRank)
        }
    }

    /// A report of the given results.
    public init(verification: [VerificationResult] = [], identification: [NamedIdentification] = []) {
        self.verification = verification
        self.identification = identification
    }

    /// Reads a report written by ``write(json:)``.
    /// - Throws: ``DataFileError`` naming the file when it cannot be read or is not a report.
    public init(contentsOf url: URL) throws {
        let data = try DataFileError.contents(of: url)
        do {
            self = try JSONDecoder().decode(EvaluationReport.self, from: data)
        } catch {
            throw DataFileError(url, "not an evaluation report written by `visage eval`: \(error)")
        }
    }

    /// The report as pretty-printed JSON.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    /// The report as Markdown tables.
    public var markdown: String {
        var lines = ["# Evaluation report", ""]
        if !verification.isEmpty {
            let rates = Array(Set(verification.flatMap { $0.trueAcceptRates.map(\.falseAcceptRate) })).sorted(by: >)
            lines += ["## Verification", ""]
            lines.append("| features | pairs | metric | accuracy % | protocol | AUC | EER % | "
                + rates.map { "TAR@FAR=\(Self.format(far: $0)) %" }.joined(separator: " | ") + " |")
            lines.append("|" + String(repeating: "---|", count: 7 + rates.count))
            for result in verification {
                let accuracy = result.accuracy
                let figure = accuracy.thresholdProtocol == .crossValidated
                    ? String(format: "%.2f ± %.2f (s.e. %.2f)", accuracy.mean, accuracy.standardDeviation,
                             accuracy.standardError ?? 0)
                    : String(format: "%.2f", accuracy.mean)
                let tars = rates.map { rate in
                    result.trueAcceptRates.first { $0.falseAcceptRate == rate }
                        .map { String(format: "%.2f", 100 * $0.trueAcceptRate) } ?? "n/a"
                }
                lines.append("| \(result.name) | \(result.pairList) | \(result.metric.rawValue) | \(figure) | "
                    + "\(Self.describe(accuracy)) | " + String(format: "%.4f | %.2f | ", result.areaUnderCurve,
                    100 * result.equalErrorRate) + tars.joined(separator: " | ") + " |")
            }
            lines += ["", "Accuracy: mean ± population standard deviation (ddof 0) of the fold accuracies; s.e. is the "
                + "standard error of the mean (ddof 1 / √folds). A pair is matched when its score ≥ the threshold; "
                + "thresholds are chosen among the training scores, the smallest on ties. TAR is reported down to the "
                + "smallest FAR with at least one mismatched pair per 1/FAR (n/a: not measurable with these pairs)."]
        }
        if !identification.isEmpty {
            lines += ["", "## Closed-set identification", ""]
            lines.append("| name | probes | gallery | distractors | metric | top-1 % | top-5 % | CMC % (rank 1…) |")
            lines.append("|---|---|---|---|---|---|---|---|")
            for entry in identification {
                let result = entry.result
                lines.append("| \(entry.name) | \(result.probeCount) | \(result.galleryCount) | \(result.distractorCount) "
                    + "| \(result.metric.rawValue) | " + String(format: "%.2f | %.2f | ", result.top1, result.top5)
                    + entry.cumulativeMatch.map { String(format: "%.1f", $0) }.joined(separator: ", ") + " |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes `report.json` and `report.md` into `folder` (created if needed) and returns their URLs.
    @discardableResult
    public func write(to folder: URL) throws -> (json: URL, markdown: URL) {
        let json = folder.appendingPathComponent("report.json"), markdown = folder.appendingPathComponent("report.md")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try jsonData().write(to: json, options: .atomic)
            try Data(self.markdown.utf8).write(to: markdown, options: .atomic)
        } catch {
            throw DataFileError(folder, "cannot write the report: \(error.localizedDescription)")
        }
        return (json, markdown)
    }

    static func format(far: Double) -> String {
        String(format: "1e%d", Int((log10(far)).rounded()))
    }

    private static func describe(_ accuracy: VerificationAccuracy) -> String {
        switch accuracy.thresholdProtocol {
        case .crossValidated: "\(accuracy.foldAccuracies.count)-fold, threshold from the other folds"
        case .trainingPairs: "threshold from training pairs"
        case .bestOnTestPairs: "optimistic: best threshold on these pairs"
        }
    }
}
