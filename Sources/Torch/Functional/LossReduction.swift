/// How a loss combines its per-element values; the raw values are ATen's reduction codes.
public enum Reduction: Int, Sendable, CaseIterable {
    /// No combination: one loss value per element (or per sample, for class losses).
    case none = 0
    /// The mean (for weighted class losses, the weighted mean).
    case mean = 1
    /// The sum.
    case sum = 2
}
