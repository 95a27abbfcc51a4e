/// Why a state dict could not be loaded into a module: every missing key, unexpected key and shape mismatch
/// found, reported together.
public struct StateDictError: Error, CustomStringConvertible, Equatable {
    /// A key present on both sides with different shapes.
    public struct ShapeMismatch: Equatable, Sendable {
        /// The state-dict key.
        public var key: String
        /// The shape of the module's tensor.
        public var expected: [Int]
        /// The shape in the source.
        public var found: [Int]
    }

    /// The Swift type of the module being loaded.
    public var moduleType: String
    /// Where the state dict came from (a file path), if known.
    public var origin: String?
    /// Keys of the module the source lacks (reported when loading strictly).
    public var missingKeys: [String]
    /// Keys of the source the module lacks (reported when loading strictly).
    public var unexpectedKeys: [String]
    /// Keys whose shapes differ.
    public var shapeMismatches: [ShapeMismatch]
    /// libtorch's message if copying a value failed after all checks passed.
    public var copyFailure: String?

    /// An error with the given findings.
    public init(
        moduleType: String, origin: String? = nil, missingKeys: [String], unexpectedKeys: [String],
        shapeMismatches: [ShapeMismatch], copyFailure: String? = nil
    ) {
        self.moduleType = moduleType
        self.origin = origin
        self.missingKeys = missingKeys
        self.unexpectedKeys = unexpectedKeys
        self.shapeMismatches = shapeMismatches
        self.copyFailure = copyFailure
    }

    /// A message naming every problem, e.g.
    /// `error loading state dict into Net from w.safetensors: missing keys: fc.bias; shape mismatch for fc.weight: …`.
    public var description: String {
        var parts: [String] = []
        if !missingKeys.isEmpty { parts.append("missing keys: " + missingKeys.joined(separator: ", ")) }
        if !unexpectedKeys.isEmpty { parts.append("unexpected keys: " + unexpectedKeys.joined(separator: ", ")) }
        for mismatch in shapeMismatches {
            parts.append("shape mismatch for \(mismatch.key): the module has \(mismatch.expected), "
                + "the state dict has \(mismatch.found)")
        }
        if let copyFailure { parts.append("copying failed: \(copyFailure)") }
        let source = origin.map { " from \($0)" } ?? ""
        return "error loading state dict into \(moduleType)\(source): " + parts.joined(separator: "; ")
    }
}
