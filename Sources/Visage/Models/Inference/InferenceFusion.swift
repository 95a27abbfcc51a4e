import Torch

/// A module that can fold the batch normalizations following its own convolutions and fully connected
/// layers into them (see ``BatchNormFolding``); its children fold their own.
public protocol BatchNormFoldable: Module {
    /// Replaces this module's own layer–normalization pairs by folded layers (children are not visited).
    func foldBatchNorms()
}

/// Prepares `model` for fast inference, in place: evaluation mode, and every batch normalization that follows
/// a convolution or fully connected layer folded into it, in every ``BatchNormFoldable`` module of the tree.
///
/// The outputs in evaluation mode stay the same (up to float rounding); the model is for inference only
/// afterwards: its folded layers have biases and its folded normalizations are ``Identity``, so its state dict
/// is no longer that of the trainable architecture. Returns `model`.
@discardableResult
public func fusedForInference(_ model: Module) -> Module {
    model.eval()
    for case let module as BatchNormFoldable in model.modules {
        module.foldBatchNorms()
    }
    return model.eval()
}
