import Torch

/// R³AN's reconstruction path G (Table 1, upper part): a source-model feature → a 3×56×56 face in [−1, 1].
///
/// The L2-normalized feature is copied into the channels of a D×1×1 tensor (D = 256 in the paper; here any
/// source dimension) and upsampled by five fractional-strided convolutions, DCGAN style (batch norm and ReLU
/// between them, tanh at the end): D×1×1 → 512×4×4 → 128×7×7 → 32×14×14 → 8×28×28 → 3×56×56.
public final class R3ANGenerator: Module {
    /// Dimension of the source features it reads.
    public let sourceDimension: Int
    public let fConv1: ConvTranspose2d
    public let bn1: BatchNorm2d
    public let fConv2: ConvTranspose2d
    public let bn2: BatchNorm2d
    public let fConv3: ConvTranspose2d
    public let bn3: BatchNorm2d
    public let fConv4: ConvTranspose2d
    public let bn4: BatchNorm2d
    public let fConv5: ConvTranspose2d

    /// Side of the generated faces.
    public static let faceSize = 56

    /// A generator for `sourceDimension`-dimensional features.
    public init(sourceDimension: Int) {
        precondition(sourceDimension > 0, "R3ANGenerator: the source dimension must be positive")
        self.sourceDimension = sourceDimension
        fConv1 = ConvTranspose2d(sourceDimension, 512, kernelSize: 4, bias: false)
        bn1 = BatchNorm2d(512)
        fConv2 = ConvTranspose2d(512, 128, kernelSize: 3, stride: 2, padding: 1, bias: false)
        bn2 = BatchNorm2d(128)
        fConv3 = ConvTranspose2d(128, 32, kernelSize: 4, stride: 2, padding: 1, bias: false)
        bn3 = BatchNorm2d(32)
        fConv4 = ConvTranspose2d(32, 8, kernelSize: 4, stride: 2, padding: 1, bias: false)
        bn4 = BatchNorm2d(8)
        fConv5 = ConvTranspose2d(8, 3, kernelSize: 4, stride: 2, padding: 1)
        super.init()
    }

    /// `[N, sourceDimension]` features → `[N, 3, 56, 56]` faces.
    public override func forward(_ features: Tensor) -> Tensor {
        var x = Functional.normalize(features, dim: 1).reshaped([-1, sourceDimension, 1, 1])
        x = Functional.relu(bn1(fConv1(x)))
        x = Functional.relu(bn2(fConv2(x)))
        x = Functional.relu(bn3(fConv3(x)))
        x = Functional.relu(bn4(fConv4(x)))
        return Functional.tanh(fConv5(x))
    }
}
