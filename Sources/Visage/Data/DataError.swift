/// A problem with input data or data-pipeline arguments, naming the file, sample or value at fault.
public enum DataError: Error, CustomStringConvertible, Equatable {
    /// An argument out of range, e.g. a batch size of 0.
    case invalidArgument(String)
    /// An image that cannot be used: its name and why.
    case invalidImage(String, String)

    public var description: String {
        switch self {
        case .invalidArgument(let message): message
        case .invalidImage(let name, let reason): "\(name): \(reason)"
        }
    }
}
