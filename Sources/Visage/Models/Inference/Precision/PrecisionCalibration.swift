/// What a ``PrecisionNetwork`` learned from its calibration faces, kept so the same lowered network can be rebuilt
/// later without them (a gallery stores it beside its engine): the precision, the network's operators, the input's
/// and every result's calibrated range, and how close the templates stayed to float32.
public struct PrecisionCalibration: Codable, Equatable, Sendable {
    public var precision: InferencePrecision
    /// Mean cosine to the float32 templates on the calibration faces.
    public var meanCosine: Double
    /// How many faces calibrated it.
    public var faces: Int
    /// The traced operators' names, in order: a network that runs other operators is refused.
    var signature: [String]
    var input: ActivationRange
    /// `ranges[node][result]`, nil for a result that is not a float tensor.
    var ranges: [[ActivationRange?]]
}
