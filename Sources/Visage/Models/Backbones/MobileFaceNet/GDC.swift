import Torch

extension MobileFaceNet {
    /// Global depthwise convolution head (arcface_torch's `GDC`): 7×7 depthwise linear conv block over the
    /// 512×7×7 map → flatten → fully connected without bias → BN, under `layers.0` … `layers.3`.
    public final class GDC: Module, BatchNormFoldable {
        /// Depthwise block, flatten, fully connected layer and embedding normalization.
        public private(set) var layers: Sequential

        /// A head producing `embeddingSize`-dimensional embeddings from 512×7×7 maps.
        public init(embeddingSize: Int) {
            layers = Sequential(
                ConvBlock(512, 512, kernelSize: 7, groups: 512, linear: true),
                Flatten(),
                Linear(512, embeddingSize, bias: false),
                BatchNorm1d(embeddingSize))
            super.init()
        }

        /// `[N, 512, 7, 7]` → `[N, embeddingSize]`.
        public override func forward(_ x: Tensor) -> Tensor { layers(x) }

        /// Folds the embedding BN into the fully connected layer.
        public func foldBatchNorms() { layers = BatchNormFolding.folded(layers) }
    }
}
