import Foundation
import Torch

/// One training stage of a multi-stage run, in its own folder: trained fresh, resumed from its newest
/// checkpoint after an interruption, or — when its last checkpoint is complete — only loaded, so rerunning
/// a whole pipeline continues where it stopped.
struct TrainingStage {
    /// Shown in messages (`adaptation`, `S-16 pretraining`).
    let name: String
    /// The stage's settings; its output folder holds the checkpoints and log.
    let config: TrainingConfig
    /// Where progress lines go.
    let report: (String) -> Void
    let showsProgress: Bool

    /// Trains `objective` on `loader` to the configured length, or loads it when already done; returns its
    /// newest checkpoint.
    @discardableResult
    func run(_ objective: any TrainingObjective, loader: BatchLoader) throws -> URL {
        let trainer = try Trainer(objective: objective, loader: loader, config: config)
        trainer.showsProgress = showsProgress
        if let latest = trainer.checkpoints.latest {
            let state = try trainer.checkpoints.state(at: latest)
            if state.step >= trainer.totalSteps {
                for (module, value) in objective.modules {
                    try value.load(from: latest.appendingPathComponent(CheckpointStore.moduleFile(module)), strict: true)
                }
                report("\(name): done earlier (\(state.step) steps), loaded \(latest.path)")
                return latest
            }
            report("\(name): resuming at step \(state.step) of \(trainer.totalSteps)")
            return try finish(trainer.run(resume: true))
        }
        report("\(name): \(trainer.totalSteps) steps of \(config.batchSize) (\(loader.source.count) samples)")
        return try finish(trainer.run(resume: false))
    }

    private func finish(_ summary: TrainingSummary) -> URL {
        let losses = summary.losses.sorted { $0.key < $1.key }.map { String(format: "%@ %.4f", $0.key, $0.value) }
        report("\(name): \(summary.steps) steps, \(losses.joined(separator: ", ")), "
            + String(format: "%.0f s", summary.seconds))
        return summary.checkpoint
    }
}
