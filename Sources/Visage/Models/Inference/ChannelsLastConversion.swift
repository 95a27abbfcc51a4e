import Torch

/// Stores every 4-D parameter and buffer of `model` (convolution weights) channels-last, in place
/// (`model.to(memory_format=torch.channels_last)`), so that with channels-last inputs libtorch's convolutions
/// need no layout conversions. Values, shapes and the tensors' identities (an optimizer's references) are
/// unchanged. Returns `model`.
@discardableResult
public func convertToChannelsLast(_ model: Module) -> Module {
    withoutGrad {
        for tensor in model.parameters() + model.buffers() where tensor.rank == 4 {
            _ = Torch.call("aten::set_.source_Tensor", tensor, tensor.contiguous(.channelsLast))
        }
    }
    return model
}
