import Torch

/// The adaptation module `M_a = (F_a, S_a)` of cross-dataset distillation (Ge et al., Section III-B and III-D):
/// two fully connected layers of 512 and 128 units mapping the teacher's features to compact adapted features
/// `f_a = F_a(f_t)`, and a softmax classifier `S_a` over the public set's identities on top of them.
///
/// A ReLU separates the two layers (the paper gives only their widths); the adapted features are the second
/// layer's linear output. Weights start from Xavier's method, biases from zero, as Section III-D says. State:
/// `hidden`, `output` (F_a) and `classifier` (S_a, a softmax ``MarginSoftmax``).
public final class AdaptationModule: Module {
    /// First fully connected layer, teacher dimension → 512.
    public let hidden: Linear
    /// Second fully connected layer, 512 → the adapted dimension (128): its output is `f_a`.
    public let output: Linear
    /// The softmax classifier `S_a` over the adapted features.
    public let classifier: MarginSoftmax

    /// A module for `teacherDimension`-dimensional teacher features and `classes` identities.
    public init(teacherDimension: Int, classes: Int, hiddenSize: Int = 512, adaptedSize: Int = 128) {
        hidden = Linear(teacherDimension, hiddenSize)
        output = Linear(hiddenSize, adaptedSize)
        classifier = MarginSoftmax(embeddingSize: adaptedSize, classes: classes, kind: .softmax)
        super.init()
        for layer in [hidden, output] {
            Initializers.xavierUniform(layer.weight)
            if let bias = layer.bias { Initializers.zeros(bias) }
        }
    }

    /// The adapted features `f_a` `[N, adaptedSize]` of teacher features `[N, teacherDimension]`.
    public override func forward(_ teacherFeatures: Tensor) -> Tensor {
        output(Functional.relu(hidden(teacherFeatures)))
    }

    /// The classifier's logits `S_a(f_a)` `[N, classes]` of teacher features.
    public func logits(_ teacherFeatures: Tensor) -> Tensor {
        classifier(forward(teacherFeatures))
    }
}
