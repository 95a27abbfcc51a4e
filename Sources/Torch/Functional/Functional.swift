/// Stateless neural-network operations, as in `torch.nn.functional`.
///
/// Layers in `Torch`'s nn modules are thin owners of parameters that call into these functions; anything that
/// needs the operation without a module (a loss written by hand, a warp in the data pipeline) calls them directly.
public enum Functional {}
