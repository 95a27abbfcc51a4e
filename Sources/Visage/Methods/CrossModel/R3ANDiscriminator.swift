import Torch

/// R³AN's discriminator D (Table 1, lower part): a 3×56×56 face → one logit, high for real faces.
///
/// Six strided convolutions, DCGAN style (leaky ReLU 0.2, batch norm from the second on):
/// 3×56×56 → 4×28×28 → 8×14×14 → 16×7×7 → 32×4×4 → 64×2×2 → 128×1×1, then a fully connected layer to 1.
/// `sigmoid(logit)` is the probability D(I) of Eq. 5 that the face is real.
public final class R3ANDiscriminator: Module {
    public let conv1: Conv2d
    public let conv2: Conv2d
    public let bn2: BatchNorm2d
    public let conv3: Conv2d
    public let bn3: BatchNorm2d
    public let conv4: Conv2d
    public let bn4: BatchNorm2d
    public let conv5: Conv2d
    public let bn5: BatchNorm2d
    public let conv6: Conv2d
    public let bn6: BatchNorm2d
    public let fc: Linear

    /// A discriminator for 3×56×56 faces.
    public override init() {
        conv1 = Conv2d(3, 4, kernelSize: 4, stride: 2, padding: 1)
        conv2 = Conv2d(4, 8, kernelSize: 4, stride: 2, padding: 1, bias: false)
        bn2 = BatchNorm2d(8)
        conv3 = Conv2d(8, 16, kernelSize: 4, stride: 2, padding: 1, bias: false)
        bn3 = BatchNorm2d(16)
        // 7 → 4 needs a 3×3 kernel at stride 2; the others halve with 4×4 kernels.
        conv4 = Conv2d(16, 32, kernelSize: 3, stride: 2, padding: 1, bias: false)
        bn4 = BatchNorm2d(32)
        conv5 = Conv2d(32, 64, kernelSize: 4, stride: 2, padding: 1, bias: false)
        bn5 = BatchNorm2d(64)
        conv6 = Conv2d(64, 128, kernelSize: 4, stride: 2, padding: 1, bias: false)
        bn6 = BatchNorm2d(128)
        fc = Linear(128, 1)
        super.init()
    }

    /// `[N, 3, 56, 56]` faces → `[N]` logits.
    public override func forward(_ faces: Tensor) -> Tensor {
        var x = Functional.leakyRelu(conv1(faces), negativeSlope: 0.2)
        x = Functional.leakyRelu(bn2(conv2(x)), negativeSlope: 0.2)
        x = Functional.leakyRelu(bn3(conv3(x)), negativeSlope: 0.2)
        x = Functional.leakyRelu(bn4(conv4(x)), negativeSlope: 0.2)
        x = Functional.leakyRelu(bn5(conv5(x)), negativeSlope: 0.2)
        x = Functional.leakyRelu(bn6(conv6(x)), negativeSlope: 0.2)
        return fc(x.flattened(from: 1)).reshaped([-1])
    }
}
