import Foundation
import Testing

/// `visage train`'s refusals (issue 14 defects 4 and 10), on a tiny synthetic run.
@Suite("visage train")
struct TrainCommandTests {
    /// One step of the 16-pixel student on 4 synthetic people, checkpointing every step.
    static func arguments(out: URL, embeddingSize: Int = 8) -> [String] {
        ["train", "--synthetic-identities", "4", "--synthetic-images", "2", "--arch", "bridge-student",
         "--input-size", "16", "--embedding-size", "\(embeddingSize)", "--steps", "1", "--batch-size", "4",
         "--checkpoint-every", "1", "--workers", "1", "--out", out.path]
    }

    @Test("a run refused for another run's folder leaves that run's recipe.json as it was")
    func refusedRunKeepsRecipe() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = folder.appendingPathComponent("M")
        try CLI.run(Self.arguments(out: run))
        let recipe = run.appendingPathComponent("recipe.json")
        let original = try Data(contentsOf: recipe)

        let message = try #require(CLI.failure(Self.arguments(out: run, embeddingSize: 16)))
        #expect(message.contains(run.path) && message.contains("checkpoints"), "\(message)")
        #expect(try Data(contentsOf: recipe) == original)
    }

    @Test("--workers 0 and -1 are refused before anything is made", arguments: ["0", "-1"])
    func workersRefused(workers: String) throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = folder.appendingPathComponent("M")
        let message = try #require(CLI.failure(Self.arguments(out: run) + ["--workers=\(workers)"]))
        #expect(message.contains("--workers"), "\(message)")
        #expect(!CLI.exists(run))
    }

    @Test("--steps with --epochs is refused, naming both")
    func stepsAndEpochs() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = folder.appendingPathComponent("M")
        let message = try #require(CLI.failure(Self.arguments(out: run) + ["--epochs", "1"]))
        #expect(message.contains("--steps") && message.contains("--epochs"), "\(message)")
        #expect(!CLI.exists(run))
    }
}
