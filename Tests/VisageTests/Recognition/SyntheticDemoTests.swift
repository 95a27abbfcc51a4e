import Foundation
import SyntheticFaces
import Testing
@testable import Visage

/// The demo at toy size: it trains, evaluates both networks under matched and shifted conditions, and writes
/// the report with every row.
@Suite("Synthetic demo")
struct SyntheticDemoTests {
    @Test("a tiny demo writes trained and untrained rows for matched, pose- and resolution-shifted pairs")
    func tinyDemoReportsConditionShifts() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("visage-demo-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        var demo = SyntheticDemo()
        demo.trainIdentities = 4
        demo.trainImagesPerIdentity = 2
        demo.testIdentities = 4
        demo.testImagesPerIdentity = 2
        demo.testFolds = 2
        demo.recipe = FaceRecognitionRecipe(architecture: .mobileNetV2(expansion: 1), embeddingSize: 16, inputSize: 32)
        demo.config = TrainingConfig(length: .steps(2), batchSize: 4, learningRate: 0.01, schedule: .constant,
                                     checkpointInterval: 100, logInterval: 1, outputDirectory: folder.path)
        demo.showsProgress = false
        let outcome = try demo.run()

        #expect(outcome.summary.steps == 2)
        let conditions = ["matched conditions", "pose-shifted (yaw 45-60 deg)", "resolution-shifted (16/20/24 px)"]
        let names = ["trained", "untrained"].flatMap { model in conditions.map { "\(model) mobilenetv2-t1, \($0)" } }
        #expect(outcome.report.verification.map(\.name) == names)
        let pairCounts = outcome.report.verification.map { [$0.positiveCount, $0.negativeCount] }
        #expect(Set(pairCounts).count == 1, "every row scores the same pairs")
        #expect(outcome.report.verification.allSatisfy { $0.accuracy.foldAccuracies.count == 2 })

        let written = try EvaluationReport(contentsOf: folder.appendingPathComponent("report.json"))
        #expect(written == outcome.report)
        let markdown = try String(contentsOf: folder.appendingPathComponent("report.md"), encoding: .utf8)
        for name in names { #expect(markdown.contains("| \(name) |")) }
        for file in outcome.files { #expect(FileManager.default.fileExists(atPath: file.path), "\(file.path)") }
    }
}
