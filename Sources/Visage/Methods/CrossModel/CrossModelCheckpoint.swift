import Foundation
import Torch

/// Checkpoints of ``CrossModelTrainer``: a folder holding `transformer.safetensors` (generator and extractor, a
/// ``FeatureTransformer`` file usable as is, with the iteration in its metadata), `discriminator.safetensors`
/// and `optimizers.safetensors` (the state of every step's optimizers). Each file is written atomically.
extension CrossModelTrainer {
    /// The checkpoint files inside `folder`.
    public static func checkpointFiles(in folder: URL)
        -> (transformer: URL, discriminator: URL, optimizers: URL)
    {
        (folder.appendingPathComponent("transformer.safetensors"),
         folder.appendingPathComponent("discriminator.safetensors"),
         folder.appendingPathComponent("optimizers.safetensors"))
    }

    /// Writes the networks and optimizer states to `folder` (created if needed).
    public func saveCheckpoint(to folder: URL, sourceModel: String, targetModel: String) throws {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw DataFileError(folder, "cannot create the checkpoint folder: \(error.localizedDescription)")
        }
        let files = Self.checkpointFiles(in: folder)
        try transformer(sourceModel: sourceModel, targetModel: targetModel)
            .save(to: files.transformer, extra: ["iteration": "\(iteration)"])
        try discriminator.save(to: files.discriminator, metadata: ["iteration": "\(iteration)"])
        var tensors: [String: Tensor] = [:]
        var metadata = ["iteration": "\(iteration)"]
        for (name, optimizer) in optimizers {
            let state = optimizer.stateDict()
            for (key, tensor) in state.tensors { tensors["\(name).\(key)"] = tensor }
            for (key, value) in state.metadata { metadata["\(name).\(key)"] = value }
        }
        try SafeTensors.write(tensors, metadata: metadata, to: files.optimizers)
    }

    /// Restores the networks, optimizer states and iteration count saved by
    /// ``saveCheckpoint(to:sourceModel:targetModel:)``.
    /// - Throws: when a file is missing or does not fit these networks (nothing is half-loaded into the
    ///   optimizers: each is restored only after its state parses).
    public func resume(from folder: URL) throws {
        let files = Self.checkpointFiles(in: folder)
        let saved = try FeatureTransformer.load(from: files.transformer)
        guard case .r3an(let trained, _) = saved.network else {
            throw CrossModelError.invalidTransformer("\(files.transformer.path) is not an R³AN checkpoint")
        }
        try transformation.loadStateDict(trained.stateDict())
        try discriminator.load(from: files.discriminator)
        let contents = try SafeTensors.read(from: files.optimizers)
        for (name, optimizer) in optimizers {
            let prefix = name + "."
            let tensors = Dictionary(uniqueKeysWithValues: contents.tensors.compactMap { key, tensor in
                key.hasPrefix(prefix) ? (String(key.dropFirst(prefix.count)), tensor) : nil
            })
            let metadata = Dictionary(uniqueKeysWithValues: contents.metadata.compactMap { key, value in
                key.hasPrefix(prefix) ? (String(key.dropFirst(prefix.count)), value) : nil
            })
            do {
                try optimizer.loadStateDict(try OptimizerState(tensors: tensors, metadata: metadata))
            } catch {
                throw CrossModelError.invalidTransformer(
                    "\(files.optimizers.path): the \(name) step's optimizer state does not fit this run "
                        + "(\(optimizer.name) here): \(error)")
            }
        }
        guard let text = contents.metadata["iteration"], let done = Int(text), done >= 0 else {
            throw CrossModelError.invalidTransformer("\(files.optimizers.path): metadata 'iteration' is missing or bad")
        }
        iteration = done
    }
}
