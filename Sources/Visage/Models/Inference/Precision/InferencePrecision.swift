/// The arithmetic a face model runs its inference in.
///
/// - `fp32`: the network as trained.
/// - `bf16`: weights and activations in bfloat16 (float32's range, 8 significant bits); libtorch sends it to
///   oneDNN, which uses AVX-512 BF16 where the CPU has it (the only kind measured).
/// - `int8`: post-training quantization: weights 8-bit per output channel (symmetric), activations 8-bit with a
///   scale and zero point per tensor calibrated on real faces, through libtorch's quantized kernels (oneDNN);
///   convolutions and fully connected layers fused with the ReLU or ReLU6 after them, residual additions with theirs.
public enum InferencePrecision: String, CaseIterable, Sendable, Codable, CustomStringConvertible {
    case fp32
    case bf16
    case int8

    public var description: String { rawValue }

    /// What is added to a model's stamp so templates of different precisions are never compared unknowingly:
    /// nothing for fp32 (templates written before precisions existed keep matching), `+bf16`, `+int8`.
    public var stampSuffix: String { self == .fp32 ? "" : "+\(rawValue)" }

    /// The model stamp and precision a template stamp names: `dlib-resnet-55533b28a95800a5+int8` →
    /// (`dlib-resnet-55533b28a95800a5`, int8); a stamp without a suffix is fp32.
    public static func split(stamp: String) -> (model: String, precision: InferencePrecision) {
        for precision in allCases where precision != .fp32 && stamp.hasSuffix(precision.stampSuffix) {
            return (String(stamp.dropLast(precision.stampSuffix.count)), precision)
        }
        return (stamp, .fp32)
    }
}
