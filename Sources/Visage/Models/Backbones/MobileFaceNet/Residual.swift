import Torch

extension MobileFaceNet {
    /// A stack of residual stride-1 ``DepthWise`` bottlenecks keeping `channels` (arcface_torch's `Residual`).
    public final class Residual: Module {
        /// The bottlenecks, in order.
        public let layers: Sequential

        /// `blocks` residual bottlenecks over `channels` channels, each through `groups` depthwise channels.
        public init(channels: Int, blocks: Int, groups: Int) {
            layers = Sequential((0..<blocks).map { _ in
                DepthWise(channels, channels, groups: groups, stride: 1, residual: true)
            })
            super.init()
        }

        /// The stack applied to `x`.
        public override func forward(_ x: Tensor) -> Tensor { layers(x) }
    }
}
