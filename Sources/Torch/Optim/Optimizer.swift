/// What every optimizer offers, whatever its update rule: for training code that picks SGD or Adam at run time
/// and holds it as `any Optimizer`.
///
/// Training reads like PyTorch: `loss.backward()`, `optimizer.step()`, `optimizer.zeroGrad()`. The concrete
/// optimizers are ``GradientOptimizer`` specialised by an ``UpdateRule``: ``SGD``, ``Adam``, ``AdamW`` and
/// ``RMSprop``.
public protocol Optimizer: AnyObject {
    /// The update rule's name as saved in state ("SGD", "Adam", …).
    var name: String { get }
    /// Every parameter of every group, in group order (the order that numbers `state.<i>.…` keys).
    var parameters: [Tensor] { get }
    /// Each group's current learning rate; schedules set these.
    var learningRates: [Double] { get set }
    /// Each group's base learning rate, the value schedules scale.
    var baseLearningRates: [Double] { get }
    /// Updates every parameter that has a gradient, in place; parameters without one are skipped.
    func step()
    /// Clears gradients: removes them (`setToNone`, like PyTorch's `set_to_none=True`) or fills them with zeros.
    func zeroGrad(setToNone: Bool)
    /// A snapshot of the optimizer's state (buffers, step counts, group settings) for a checkpoint.
    func stateDict() -> OptimizerState
    /// Restores state saved by ``stateDict()``; throws, changing nothing, if it does not fit these parameters.
    func loadStateDict(_ state: OptimizerState) throws(OptimizerError)
}

extension Optimizer {
    /// Removes every parameter's gradient (PyTorch's `zero_grad(set_to_none=True)`).
    public func zeroGrad() {
        zeroGrad(setToNone: true)
    }
}
