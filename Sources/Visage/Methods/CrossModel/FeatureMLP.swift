import Foundation
import Torch

/// The naive transformation of Section 3.1 and the FC row of Table 3: a multi-layer perceptron from source to
/// target features, trained with the L2 distance to the target features alone.
///
/// L2-normalized input (as R³AN's generator reads it) → Linear → BatchNorm → ReLU → Linear → BatchNorm → ReLU →
/// Linear. ``init(sourceDimension:targetDimension:parameterBudget:)`` picks the hidden width that gives about as
/// many parameters as a given network, so the comparison with R³AN is at equal size as in the paper.
public final class FeatureMLP: Module {
    /// Dimension of the source features it reads.
    public let sourceDimension: Int
    /// Dimension of the features it produces.
    public let targetDimension: Int
    /// Width of the two hidden layers.
    public let hiddenWidth: Int
    public let fc1: Linear
    public let bn1: BatchNorm1d
    public let fc2: Linear
    public let bn2: BatchNorm1d
    public let fc3: Linear

    /// An MLP with two hidden layers of `hiddenWidth` units.
    public init(sourceDimension: Int, targetDimension: Int, hiddenWidth: Int) {
        precondition(sourceDimension > 0 && targetDimension > 0 && hiddenWidth > 0,
                     "FeatureMLP: dimensions and width must be positive")
        self.sourceDimension = sourceDimension
        self.targetDimension = targetDimension
        self.hiddenWidth = hiddenWidth
        fc1 = Linear(sourceDimension, hiddenWidth)
        bn1 = BatchNorm1d(hiddenWidth)
        fc2 = Linear(hiddenWidth, hiddenWidth)
        bn2 = BatchNorm1d(hiddenWidth)
        fc3 = Linear(hiddenWidth, targetDimension)
        super.init()
    }

    /// An MLP whose hidden width gives the parameter count closest to `parameterBudget` (at least width 1).
    public convenience init(sourceDimension: Int, targetDimension: Int, parameterBudget: Int) {
        self.init(sourceDimension: sourceDimension, targetDimension: targetDimension,
                  hiddenWidth: Self.hiddenWidth(sourceDimension: sourceDimension, targetDimension: targetDimension,
                                                parameterBudget: parameterBudget))
    }

    /// Parameters of an MLP of width `h`: `h² + h·(source + target + 6) + target`.
    public static func parameterCount(sourceDimension: Int, targetDimension: Int, hiddenWidth h: Int) -> Int {
        h * h + h * (sourceDimension + targetDimension + 6) + targetDimension
    }

    /// The hidden width whose ``parameterCount(sourceDimension:targetDimension:hiddenWidth:)`` is closest to
    /// `parameterBudget`.
    public static func hiddenWidth(sourceDimension: Int, targetDimension: Int, parameterBudget: Int) -> Int {
        let b = Double(sourceDimension + targetDimension + 6)
        let root = (-b + (b * b + 4 * Double(max(parameterBudget - targetDimension, 0))).squareRoot()) / 2
        let candidates = [Int(root.rounded(.down)), Int(root.rounded(.up))].map { max($0, 1) }
        return candidates.min {
            abs(parameterCount(sourceDimension: sourceDimension, targetDimension: targetDimension, hiddenWidth: $0)
                - parameterBudget)
                < abs(parameterCount(sourceDimension: sourceDimension, targetDimension: targetDimension,
                                     hiddenWidth: $1) - parameterBudget)
        }!
    }

    /// `[N, sourceDimension]` → `[N, targetDimension]`.
    public override func forward(_ features: Tensor) -> Tensor {
        var x = Functional.normalize(features, dim: 1)
        x = Functional.relu(bn1(fc1(x)))
        x = Functional.relu(bn2(fc2(x)))
        return fc3(x)
    }
}
