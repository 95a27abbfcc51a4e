import Foundation

/// Templates an audit may attribute to an engine: a feature file whose stamp names that engine and whose rows
/// have its width. An inverter trained on one engine's templates says nothing about another's, and unstamped
/// templates could be anyone's, so both are refused before any work.
public enum EngineTemplates {
    /// The features at `url` (`.npy` with its `.txt` image list), after checking their stamp (`NAME.json`).
    /// - Throws: ``DataFileError`` naming the file when there is no stamp, the stamp names another model than
    ///   `engine` (an engine stamp such as `dlib-resnet-55533b28a95800a5`), or the width is not `dimension`.
    public static func load(_ url: URL, engine: String, dimension: Int) throws -> FeatureFile {
        guard let stamp = try FeatureStamp.read(for: url) else {
            throw DataFileError(url, "has no stamp (\(FeatureStamp.url(for: url).lastPathComponent)); the audit only "
                + "inverts templates known to be \(engine)'s — embed them with `visage embed --engine`, which stamps them")
        }
        guard stamp.model == engine else {
            throw DataFileError(url, "is stamped as \(stamp.model)'s templates, not \(engine)'s; an inverter of one "
                + "engine cannot audit another's templates")
        }
        let file = try FeatureFile.load(features: url)
        guard file.dimension == dimension, stamp.dimension == dimension else {
            throw DataFileError(url, "holds \(file.dimension)-D templates (stamp: \(stamp.dimension)-D) but \(engine)'s "
                + "are \(dimension)-D")
        }
        return file
    }
}
