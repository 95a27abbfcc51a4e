import Foundation

extension TrainingConfig {
    /// The optimization of Section 5.2 of the R³AN paper for a transformer run of `iterations` steps: SGD at
    /// `learningRate` (the paper: 0.08) with momentum 0.9 and weight decay 10⁻³ on every parameter, divided by 10
    /// at 30 %, 50 % and 70 % of the run (the paper's 60k, 100k and 140k of 200k iterations), no clipping.
    public static func crossModel(
        iterations: Int, batchSize: Int, learningRate: Double = 0.08, seed: UInt64, output: URL,
        checkpointInterval: Int = 500
    ) -> TrainingConfig {
        let milestones = Array(Set([0.3, 0.5, 0.7].map { Int((Double(iterations) * $0).rounded()) }
            .filter { $0 > 0 && $0 < iterations })).sorted()
        return TrainingConfig(
            length: .steps(iterations), batchSize: batchSize, learningRate: learningRate, momentum: 0.9,
            weightDecay: 1e-3, exemptNormAndBiasFromDecay: false,
            schedule: milestones.isEmpty ? .constant : .multiStep(milestones: milestones, gamma: 0.1),
            gradientClipNorm: nil, checkpointInterval: checkpointInterval, keptCheckpoints: 2, logInterval: 50,
            seed: seed, outputDirectory: output.path)
    }
}
