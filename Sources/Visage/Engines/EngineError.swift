import Foundation

/// Why an engine cannot be used: an unknown name, or weights that are missing or not the pinned file.
public enum EngineError: Error, CustomStringConvertible, Equatable, Sendable {
    /// No engine of that name; the valid names are listed.
    case unknownEngine(String, valid: [String])
    /// The weights file is not in the weights folder.
    case missingWeights(file: String, source: String)
    /// The weights file is there but has another size or digest than the pinned one.
    case alteredWeights(file: String, expected: String, found: String, source: String)

    public var description: String {
        switch self {
        case .unknownEngine(let name, let valid):
            "unknown engine '\(name)'; engines: \(valid.joined(separator: ", ")) (`visage engines` describes them)"
        case .missingWeights(let file, let source):
            "\(file) is missing. \(source)"
        case .alteredWeights(let file, let expected, let found, let source):
            "\(file) is not the pinned file (expected \(expected), found \(found)); delete it and fetch it again. \(source)"
        }
    }
}
