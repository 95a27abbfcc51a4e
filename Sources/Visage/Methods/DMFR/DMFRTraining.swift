import Foundation
import Torch

/// Trains one DMFR mode on a ``DMFRFeatureSet``'s training rows with the one ``Trainer`` (checkpoints, resume,
/// log), then writes the network with the trained last layer as `model.safetensors` in the output folder, usable
/// by `visage eval --model` and `visage dmfr eval`.
public final class DMFRTraining {
    public let mode: DMFRMode
    public let config: TrainingConfig
    public let objective: any DMFRObjective
    private let split: LastLayerSplit
    private let data: DMFRTrainingData

    /// Where the trained model goes.
    public var modelURL: URL { config.outputURL.appendingPathComponent("model.safetensors") }

    /// A run of `mode` over `data`, its layers started at `split`'s last layer, classifying with `kind`.
    public init(mode: DMFRMode, data: DMFRTrainingData, split: LastLayerSplit, kind: MarginKind,
                config: TrainingConfig) throws {
        try config.validate()
        Runtime.seed(config.seed)
        let initial = try split.lastLayer()
        self.mode = mode
        self.config = config
        self.split = split
        self.data = data
        switch mode {
        case .real, .naive:
            objective = try MixingObjective(data: data, initial: initial, kind: kind, mixing: mode == .naive,
                                            seed: config.seed)
        case .filter:
            objective = try FilterObjective(data: data, initial: initial, kind: kind, seed: config.seed)
        case .meta:
            objective = try MetaObjective(data: data, initial: initial, kind: kind,
                                          innerLearningRate: config.learningRate, seed: config.seed)
        case .disentangle:
            objective = try DisentangleObjective(data: data, initial: initial, kind: kind, seed: config.seed)
        }
    }

    /// Trains (continuing from the last checkpoint with `resume`) and writes the model.
    public func run(resume: Bool, progress: Bool = true) throws -> TrainingSummary {
        let loader = try RowBatchLoader(source: data.rowSource(), batchSize: config.batchSize, seed: config.seed)
        let trainer = try Trainer(objective: objective, loader: loader, config: config)
        trainer.showsProgress = progress
        let summary = try trainer.run(resume: resume)
        let map = objective.embeddingMap()
        let network = try split.network(withLastLayer: map.weight.contiguous(), bias: map.bias.contiguous())
        try FaceModel(backbone: network, architecture: .mobileFaceNetMS1M, embeddingSize: network.embeddingSize,
                      inputSize: 112, identifier: "mobilefacenet-ms1m-dmfr-\(mode.rawValue)-s\(config.seed)")
            .save(to: modelURL)
        return summary
    }
}
