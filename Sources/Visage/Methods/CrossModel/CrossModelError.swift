/// A problem with cross-model training or transformation input that a user can cause, naming the file, value or
/// model at fault.
public enum CrossModelError: Error, CustomStringConvertible, Equatable {
    /// Settings that cannot be trained or used.
    case invalidConfiguration(String)
    /// Source and target feature files that do not describe the same images.
    case mismatchedPairs(String)
    /// Features whose dimension or model stamp does not fit the transformer.
    case incompatibleFeatures(String)
    /// A transformer file that cannot be used.
    case invalidTransformer(String)
    /// Training diverged: a loss became NaN or infinite.
    case diverged(String)

    public var description: String {
        switch self {
        case .invalidConfiguration(let message), .mismatchedPairs(let message), .incompatibleFeatures(let message),
             .invalidTransformer(let message), .diverged(let message):
            message
        }
    }
}
