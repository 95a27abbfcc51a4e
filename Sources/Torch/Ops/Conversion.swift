/// Reading single values out of tensors.
extension Tensor {
    /// The single element of a one-element tensor as `Element` (converting the dtype if needed), e.g.
    /// `count.item(Int64.self)` without a round trip through `Double`.
    public func item<Element: TensorElement>(_ type: Element.Type) -> Element {
        let values = array(of: Element.self)
        guard values.count == 1 else {
            if isDefined { ErrorScope.report(TorchError("item() needs one element, tensor has shape \(shape)")) }
            return Tensor.zeros([1], dtype: Element.dtype).array(of: Element.self)[0]
        }
        return values[0]
    }
}
