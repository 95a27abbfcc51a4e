import Torch

/// dlib's `affine_` layer as a module: `x · scale + shift`, per channel (convolutional mode) or per element of a
/// sample (fully connected mode). A `bn_` layer is deployed as one through ``DlibBatchNorm/folded``.
public final class DlibScaleShift: Module {
    /// Per channel or per element.
    public let mode: DlibLayerMode
    /// `[C]` in convolutional mode, `[C·H·W]` in fully connected mode.
    public let scale: Tensor
    /// Shaped as `scale`.
    public let shift: Tensor

    /// The layer `affine` describes.
    public init(_ affine: DlibAffine) throws {
        mode = affine.mode
        scale = try Tensor(affine.gamma, shape: [affine.gamma.count])
        shift = try Tensor(affine.beta, shape: [affine.beta.count])
        super.init()
    }

    /// `[N, C, H, W]` → the same shape.
    public override func forward(_ input: Tensor) -> Tensor {
        let shape = mode == .convolutional ? [1, -1, 1, 1] : [1] + input.shape.dropFirst()
        return input * scale.view(shape) + shift.view(shape)
    }
}
