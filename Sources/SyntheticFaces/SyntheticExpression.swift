/// A facial expression, each component a strength; `.neutral` is all zeros.
public struct SyntheticExpression: Sendable, Equatable, Codable {
    /// Mouth corners up and out, 0...1.
    public var smile: Double
    /// Lips parted and jaw dropped, 0...1.
    public var mouthOpen: Double
    /// Brows up (positive, surprise) or down and in (negative, frown), -1...1.
    public var browRaise: Double
    /// Eyelids closing, 0 (open) ... 1 (shut).
    public var eyeClosure: Double

    /// An expression with the given strengths.
    public init(smile: Double = 0, mouthOpen: Double = 0, browRaise: Double = 0, eyeClosure: Double = 0) {
        self.smile = smile
        self.mouthOpen = mouthOpen
        self.browRaise = browRaise
        self.eyeClosure = eyeClosure
    }

    /// No expression.
    public static let neutral = SyntheticExpression()
}
