/// Randomly zeroes elements with probability `probability` in training mode, scaling the others by
/// `1 / (1 − probability)`; the identity in evaluation mode (`torch.nn.Dropout`).
public final class Dropout: Module {
    /// Probability of zeroing each element.
    public let probability: Double

    /// A dropout layer zeroing elements with probability `probability` (in [0, 1]).
    public init(_ probability: Double = 0.5) {
        precondition((0...1).contains(probability), "Dropout: probability must be in [0, 1], got \(probability)")
        self.probability = probability
        super.init()
    }

    /// The input with elements dropped (training) or unchanged (evaluation).
    public override func forward(_ input: Tensor) -> Tensor {
        Functional.dropout(input, p: probability, training: isTraining)
    }
}
