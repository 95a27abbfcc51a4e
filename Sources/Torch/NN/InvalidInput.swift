extension Module {
    /// Reports an input this layer cannot take the way a failed libtorch operation is reported: recorded by
    /// an enclosing ``withTorchErrors(_:)`` (which then throws it), fatal otherwise. Returns an undefined
    /// placeholder so the caller can return at once.
    public func invalidInput(_ message: String) -> Tensor {
        ErrorScope.report(TorchError("\(type(of: self)): \(message)"))
        return .undefined
    }
}
