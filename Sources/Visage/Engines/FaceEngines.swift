import Foundation

/// Loads the catalogue's recognition engines as ``FaceModel``s, their weights checked against their pins.
public enum FaceEngines {
    /// The engine `entry`, from the weights folder.
    /// - Throws: ``EngineError`` for missing or altered weights or an entry that is not a recognition engine;
    ///   ``DataFileError`` for a weights file that does not hold the expected network.
    public static func load(_ entry: EngineCatalogue.Entry, weightsFolder: URL = EngineWeights.folder()) throws -> FaceModel {
        let url = try EngineWeights.verifiedURL(for: entry.weights, in: weightsFolder)
        let identifier = entry.stamp
        switch entry.name {
        case EngineCatalogue.dlibResNet.name:
            let network = try DlibResNet.load(from: url)
            return FaceModel(backbone: network, architecture: nil, embeddingSize: network.embeddingSize,
                             inputSize: network.inputSize, identifier: identifier,
                             crop: .dlibChip(size: network.inputSize, padding: 0.25), engine: entry)
        case EngineCatalogue.mobileFaceNetMS1M.name:
            let network = try MobileFaceNetMS1M.load(from: url)
            return FaceModel(backbone: network, architecture: .mobileFaceNetMS1M, embeddingSize: 128, inputSize: 112,
                             identifier: identifier, crop: .arcface(size: 112), engine: entry)
        default:
            throw EngineError.unknownEngine(entry.name, valid: EngineCatalogue.recognitionNames)
        }
    }
}
