/// Which signals supervise the student in resolution-adapted distillation: the paper's supervision codes
/// (Ge et al., Section IV-B) `c`, `s`, `dc` and `sc`.
///
/// Every variant is first pretrained with classification on the low-resolution faces (Section III-D); the
/// variants differ in the fine-tuning stage (Eq. 4).
public enum DistillationSupervision: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// `c`: class-level supervision only, no teacher (the paper's S-p-c-O baseline); the fine-tuning stage
    /// continues classification so that every variant trains equally long.
    case classOnly = "c"
    /// `s`: regression to the adapted teacher features only (Eq. 6), no classification while fine-tuning.
    case distillationOnly = "s"
    /// `dc`: classification plus regression to the raw teacher features, no adaptation module.
    case directDistillation = "dc"
    /// `sc`: classification plus regression to the adapted features: the full bridge distillation.
    case bridge = "sc"

    /// The paper's code: `c`, `s`, `dc` or `sc`.
    public var description: String { rawValue }

    /// Whether fine-tuning keeps the classification loss (Eq. 5).
    public var classifies: Bool { self != .distillationOnly }

    /// Whether the student regresses teacher features (Eq. 6).
    public var usesTeacher: Bool { self != .classOnly }

    /// Whether the regression targets are the adapted features of cross-dataset distillation (Eq. 1–3) rather
    /// than the raw teacher features.
    public var usesAdaptation: Bool { self == .distillationOnly || self == .bridge }

    /// The supervision with code `code` (`c`, `s`, `dc`, `sc`; `c-O` is read as `c`).
    public init(parsing code: String) throws {
        let key = code.trimmingCharacters(in: .whitespaces).lowercased()
        guard let match = Self(rawValue: key == "c-o" ? "c" : key) else {
            throw DataError.invalidArgument(
                "unknown supervision '\(code)'; valid codes: \(Self.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = match
    }
}
