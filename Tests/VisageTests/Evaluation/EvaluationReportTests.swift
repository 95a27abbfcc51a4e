import Foundation
import Testing
@testable import Visage

/// Reports round-trip through JSON and show their figures in Markdown.
@Suite("Evaluation report")
struct EvaluationReportTests {
    @Test("JSON round trip and Markdown tables")
    func roundTrip() throws {
        let verification = try VerificationResult(name: "dlib", pairList: "pairs.txt", metric: .cosine,
                                                  pairs: VerificationMetricsTests.tenFolds())
        let identification = try ClosedSetIdentification(
            gallery: ClosedSetIdentificationTests.gallery, galleryLabels: [0, 1, 2],
            probes: ClosedSetIdentificationTests.probes, probeLabels: [0, 1, 2])
        let report = EvaluationReport(verification: [verification],
                                      identification: [.init(name: "toy", result: identification, maxRank: 3)])
        let folder = try DataFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let written = try report.write(to: folder)
        #expect(try EvaluationReport(contentsOf: written.json) == report)
        let markdown = try String(contentsOf: written.markdown, encoding: .utf8)
        #expect(markdown.contains("| dlib | pairs.txt | cosine | 95.00 ± 15.00 (s.e. 5.00) | 10-fold"))
        #expect(markdown.contains("| toy | 3 | 3 | 0 | cosine | 33.33 | 100.00 | 33.3, 66.7, 100.0 |"))
        #expect(throws: DataFileError.self) { try EvaluationReport(contentsOf: written.markdown) }
    }
}
