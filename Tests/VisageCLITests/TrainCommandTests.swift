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

    /// The message of a run refused with `flags` added (and `config`, a JSON text, as its `--config`), after
    /// checking that the refused run made no folder.
    static func refusal(_ flags: [String], config: String? = nil) throws -> String {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var extra = flags
        if let config {
            let url = folder.appendingPathComponent("run.json")
            try Data(config.utf8).write(to: url)
            extra += ["--config", url.path]
        }
        let run = folder.appendingPathComponent("M")
        let message = try #require(CLI.failure(arguments(out: run) + extra))
        #expect(!CLI.exists(run))
        return message
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
        let message = try Self.refusal(["--workers=\(workers)"])
        #expect(message.contains("--workers"), "\(message)")
    }

    @Test("--steps with --epochs is refused, naming both")
    func stepsAndEpochs() throws {
        let message = try Self.refusal(["--epochs", "1"])
        #expect(message.contains("--steps") && message.contains("--epochs"), "\(message)")
    }

    @Test("DDL's weights, bins and kernel width, the margin and the scale come from the config file and the flags and are recorded in recipe.json")
    func ddlSettingsRecorded() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = folder.appendingPathComponent("run.json")
        let json = #"{"recipe": {"scale": 30, "margin": 0.3, "hard_view": {"resolutions": [8]}, "#
            + #""distillation": {"bins": 51, "kernel_width": 0.05, "positive_weight": 0.2}}}"#
        try Data(json.utf8).write(to: config)
        let run = folder.appendingPathComponent("M")
        try CLI.run(Self.arguments(out: run) + ["--config", config.path, "--ddl-order-weight", "0.7",
                                                "--ddl-negative-weight=0.03", "--identity-groups", "2"])
        let recipe = try #require(JSONSerialization.jsonObject(
            with: Data(contentsOf: run.appendingPathComponent("recipe.json"))) as? [String: Any])
        #expect(recipe["scale"] as? Double == 30 && recipe["margin"] as? Double == 0.3)
        let ddl = try #require(recipe["distillation"] as? [String: Any])
        #expect(ddl["bins"] as? Int == 51 && ddl["kernel_width"] as? Double == 0.05)
        #expect(ddl["positive_weight"] as? Double == 0.2 && ddl["negative_weight"] as? Double == 0.03
                    && ddl["order_weight"] as? Double == 0.7)
    }

    @Test("a bad DDL setting from the config file or a flag is refused naming its key, before anything is made",
          arguments: [(#"{"kernel_width": 0}"#, [String](), "distillation.kernel_width"),
                      (#"{}"#, ["--ddl-bins", "1"], "distillation.bins"),
                      (#"{"order_weight": -1}"#, [], "distillation.order_weight")])
    func badDDLSetting(object: String, flags: [String], key: String) throws {
        let message = try Self.refusal(
            flags, config: #"{"recipe": {"hard_view": {"resolutions": [8]}, "distillation": "# + object + "}}")
        #expect(message.contains(key), "\(message)")
    }

    @Test("--ddl-kernel-width without DDL is refused")
    func ddlSettingNeedsDDL() throws {
        let message = try Self.refusal(["--ddl-kernel-width", "0.05"])
        #expect(message.contains("--ddl-kernel-width") && message.contains("need --ddl"), "\(message)")
    }
}
