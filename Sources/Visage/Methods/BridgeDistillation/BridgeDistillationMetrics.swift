import Torch

/// Training-log figures shared by the bridge-distillation objectives.
enum BridgeDistillationMetrics {
    /// The fraction of rows of `logits` `[N, C]` whose largest entry is the label's, without gradient.
    static func accuracy(_ logits: Tensor, labels: Tensor) -> Tensor {
        withoutGrad { (logits.argmax(1) .== labels).to(.float32).mean() }
    }
}
