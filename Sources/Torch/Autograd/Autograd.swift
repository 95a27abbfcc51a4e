import CTorch

extension Tensor {
    /// Whether operations on this tensor are recorded for differentiation.
    public var requiresGrad: Bool { ctorch_tensor_requires_grad(handle.pointer) }

    /// Turns gradient recording for this (leaf) tensor on or off, in place; returns `self` for chaining.
    @discardableResult
    public func requiresGrad(_ flag: Bool) -> Tensor {
        var error: UnsafeMutablePointer<CChar>?
        if ctorch_tensor_set_requires_grad(handle.pointer, flag, &error) != 0 {
            ErrorScope.report(takeError(error))
        }
        return self
    }

    /// Whether this tensor was created by the user rather than by a recorded operation.
    public var isLeaf: Bool { ctorch_tensor_is_leaf(handle.pointer) }

    /// The gradient accumulated by ``backward(_:retainGraph:createGraph:)``, if any.
    public var grad: Tensor? {
        get {
            guard let pointer = ctorch_tensor_grad(handle.pointer) else { return nil }
            return Tensor(taking: pointer)
        }
        nonmutating set {
            var error: UnsafeMutablePointer<CChar>?
            if ctorch_tensor_set_grad(handle.pointer, newValue?.handle.pointer, &error) != 0 {
                ErrorScope.report(takeError(error))
            }
        }
    }

    /// Backpropagates from this tensor, accumulating gradients into the leaves' ``grad``.
    ///
    /// - Parameter gradient: d(loss)/d(self); may be omitted for a one-element tensor.
    public func backward(_ gradient: Tensor? = nil, retainGraph: Bool = false, createGraph: Bool = false) {
        var error: UnsafeMutablePointer<CChar>?
        let outputs: [ctorch_tensor?] = [handle.pointer]
        let gradients: [ctorch_tensor?] = [gradient?.handle.pointer]
        let status = withExtendedLifetime(gradient) {
            ctorch_backward(outputs, gradients, 1, retainGraph, createGraph, &error)
        }
        if status != 0 { ErrorScope.report(takeError(error)) }
    }
}

/// Gradients of `outputs` with respect to `inputs`, without touching any ``Tensor/grad``.
///
/// With `createGraph: true` the returned gradients are themselves differentiable, which second-order methods
/// need (WGAN-GP's gradient penalty, a meta-learning inner step). An input that does not influence the outputs
/// gets a zero gradient of its shape when `allowUnused` is true.
public func gradients(
    of outputs: [Tensor], with inputs: [Tensor], gradOutputs: [Tensor?]? = nil, retainGraph: Bool = false,
    createGraph: Bool = false, allowUnused: Bool = false
) -> [Tensor] {
    var error: UnsafeMutablePointer<CChar>?
    let outputHandles: [ctorch_tensor?] = outputs.map { $0.handle.pointer }
    let gradHandles: [ctorch_tensor?] = (gradOutputs ?? outputs.map { _ in nil }).map { $0?.handle.pointer }
    let inputHandles: [ctorch_tensor?] = inputs.map { $0.handle.pointer }
    var results = [ctorch_tensor?](repeating: nil, count: inputs.count)
    let status = withExtendedLifetime((outputs, inputs, gradOutputs)) {
        ctorch_grad(outputHandles, gradHandles, Int64(outputs.count), inputHandles, Int64(inputs.count), retainGraph,
                    createGraph, allowUnused, &results, &error)
    }
    guard status == 0 else {
        ErrorScope.report(takeError(error))
        return inputs.map { _ in Tensor.undefined }
    }
    return zip(results, inputs).map { result, input in
        let gradient = Tensor(taking: result!)
        return gradient.isDefined ? gradient : input.zerosLike()
    }
}

/// Runs `body` with gradient recording off on this thread (evaluation, optimizer updates).
public func withoutGrad<Result>(_ body: () throws -> Result) rethrows -> Result {
    try withGradMode(enabled: false, body)
}

/// Runs `body` with gradient recording set to `enabled` on this thread, restoring the previous mode after.
public func withGradMode<Result>(enabled: Bool, _ body: () throws -> Result) rethrows -> Result {
    let previous = ctorch_grad_mode_enabled()
    ctorch_grad_mode_set_enabled(enabled)
    defer { ctorch_grad_mode_set_enabled(previous) }
    return try body()
}

/// Whether gradient recording is on for this thread.
public var isGradEnabled: Bool { ctorch_grad_mode_enabled() }
