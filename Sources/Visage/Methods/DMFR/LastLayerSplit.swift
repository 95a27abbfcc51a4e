import Foundation
import Torch

/// The pretrained MS1M MobileFaceNet seen as a frozen trunk and its last layer, the part DMFR's modes retrain here.
///
/// The trunk maps an image to the 512-D output of the global depthwise convolution; the last layer — the 1×1
/// `conv3` with its bias followed by the embedding batch norm, in evaluation mode — is one affine map
/// `W·f + b` to the embedding. Training only that map on cached trunk features is what makes the modes affordable
/// on a CPU; every mode's embedding stays affine in the trunk feature, so a trained map is written back into the
/// network (``network(withLastLayer:bias:)``) as a Visage model file.
public struct LastLayerSplit {
    /// The network, in evaluation mode.
    public let network: MobileFaceNetMS1M

    /// The split of `network`, which is put in evaluation mode.
    public init(_ network: MobileFaceNetMS1M) {
        network.eval()
        self.network = network
    }

    /// Length of the trunk features (the channels of the global depthwise convolution).
    public static let trunkSize = 512

    /// `[N, 3, 112, 112]` Visage-normalized images → `[N, 512]` trunk features.
    public func trunkFeatures(_ images: Tensor) -> Tensor {
        let net = network
        let map = net.gdconv(net.conv2(net.features(net.dwConv(net.conv1(images * net.inputScale + net.inputShift)))))
        return map.reshaped([map.shape[0], -1])
    }

    /// The last layer as one affine map: `weight` `[embeddingSize, 512]`, `bias` `[embeddingSize]`.
    public func lastLayer() throws -> (weight: Tensor, bias: Tensor) {
        guard let norm = network.bn as? BatchNorm, let mean = norm.runningMean, let variance = norm.runningVar else {
            throw DataError.invalidArgument("the network's embedding batch norm is folded or has no running statistics")
        }
        return withoutGrad {
            let gamma = norm.weight ?? Tensor.ones([network.embeddingSize])
            let beta = norm.bias ?? Tensor.zeros([network.embeddingSize])
            let factor = gamma / (variance + norm.eps).sqrt()
            let weight = network.conv3.weight.reshaped([network.embeddingSize, -1]) * factor.view([-1, 1])
            let bias = ((network.conv3.bias ?? Tensor.zeros([network.embeddingSize])) - mean) * factor + beta
            return (weight.contiguous().detached(), bias.contiguous().detached())
        }
    }

    /// This network with its last layer set to `weight · f + bias` (the batch norm made the identity), for
    /// saving as a Visage model; the network itself is changed.
    /// - Throws: ``DataError/invalidArgument(_:)`` when the shapes are not `[embeddingSize, 512]` and `[embeddingSize]`.
    public func network(withLastLayer weight: Tensor, bias: Tensor) throws -> MobileFaceNetMS1M {
        let size = network.embeddingSize
        guard weight.shape == [size, Self.trunkSize], bias.shape == [size] else {
            throw DataError.invalidArgument("a last layer of this network is [\(size), \(Self.trunkSize)] and [\(size)]; "
                + "got \(weight.shape) and \(bias.shape)")
        }
        guard let norm = network.bn as? BatchNorm, let mean = norm.runningMean, let variance = norm.runningVar,
              let convolutionBias = network.conv3.bias else {
            throw DataError.invalidArgument("the network's last layer is folded; load it afresh to replace it")
        }
        withoutGrad {
            _ = network.conv3.weight.copy_(weight.reshaped(network.conv3.weight.shape))
            _ = convolutionBias.copy_(bias)
            _ = mean.zero_()
            _ = variance.fill_(1 - norm.eps)
            _ = norm.weight?.fill_(1)
            _ = norm.bias?.zero_()
        }
        return network
    }
}
