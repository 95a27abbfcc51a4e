import Foundation
import Testing
import Visage

/// `visage eval`'s checks come before its writes (issue 14 defect 10).
@Suite("visage eval")
struct EvalCommandTests {
    /// Two folds of one matched and one mismatched pair over four people, and their features.
    static func inputs(in folder: URL) throws -> (features: URL, pairs: URL) {
        let pairs = folder.appendingPathComponent("pairs.txt")
        try Data("2\t1\na\t1\t2\na\t1\tb\t1\nc\t1\t2\nc\t1\td\t1\n".utf8).write(to: pairs)
        let features = folder.appendingPathComponent("features.npy")
        try FeatureFile(features: FeatureMatrix(rows: 6, columns: 2, values: [1, 0, 0.9, 0.1, 0, 1, 1, 0, 0.8, 0.2, 0, 1]),
                        paths: ["a/a_0001.jpg", "a/a_0002.jpg", "b/b_0001.jpg", "c/c_0001.jpg", "c/c_0002.jpg",
                                "d/d_0001.jpg"])
            .write(features: features)
        return (features, pairs)
    }

    @Test("a bad --compare report is refused before the output folder is created")
    func badCompareWritesNothing() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (features, pairs) = try Self.inputs(in: folder)
        let arguments = ["eval", "--features", features.path, "--pairs", pairs.path]
        // The inputs are good: without --compare the report is written.
        let good = folder.appendingPathComponent("good")
        try CLI.run(arguments + ["--out", good.path])
        #expect(CLI.exists(good.appendingPathComponent("report.json")))

        let bad = folder.appendingPathComponent("bad.json")
        try Data("{\"verification\": [".utf8).write(to: bad)
        let out = folder.appendingPathComponent("out")
        let message = try #require(CLI.failure(arguments + ["--out", out.path, "--compare", bad.path]))
        #expect(message.contains(bad.path), "\(message)")
        #expect(!CLI.exists(out))
    }
}
