import CTorch

/// Base class of neural-network layers and models, as `torch.nn.Module`.
///
/// A subclass declares its state as ordinary stored properties and overrides ``forward(_:)``:
///
/// ```swift
/// final class Block: Module {
///     let conv = Conv2d(3, 16, kernelSize: 3, padding: 1)
///     let norm = BatchNorm2d(16)
///     var heads: [Linear] = [Linear(16, 10), Linear(16, 2)]
///     var projection: Linear? = nil
///
///     override func forward(_ x: Tensor) -> Tensor { Functional.relu(norm(conv(x))) }
/// }
/// ```
///
/// Parameters, buffers and children are found by reflection (`Mirror`) over the stored properties of the class
/// and its superclasses: `Tensor` properties are parameters, ``Buffer`` properties buffers, `Module` properties
/// children, and arrays (`blocks.0`), `[String: …]` dictionaries (`heads.age`, in key order) and optionals of
/// those are followed; a nil optional is absent; other properties are ignored. Their dotted names match PyTorch's `state_dict` keys
/// (`heads.1.weight`, `norm.running_mean`), so weights move between the two through safetensors files.
///
/// **Naming.** A property's key is its Swift name unless ``stateKeyNames`` maps it to another one; BatchNorm
/// maps `runningMean` to `running_mean` that way. Mapping an array or dictionary property to `""` splices its
/// elements into the module's own namespace, which is how ``Sequential`` names its layers `0`, `1`, `2`, ….
///
/// **References that are not children** (a teacher network guiding a student) go in a ``NotOwned`` property.
/// Traversal cuts reference cycles, so a stored link back to an ancestor is skipped when traversing from that
/// ancestor; avoid such links, since traversing from the child would count the ancestor as its child.
///
/// **Parameters** are updated in place (``Tensor/copy_(_:)`` and friends), so tensors held by an optimizer stay
/// the module's parameters across ``loadStateDict(_:strict:)``. Create them with `requiresGrad(true)`.
///
/// Reflection runs only when the module is traversed (parameter lists, state dicts, ``train(_:)``), never in
/// ``callAsFunction(_:)``; keep hot loops away from traversal methods.
open class Module {
    /// Whether the module is in training mode (dropout active, batch statistics in BatchNorm).
    ///
    /// Set it for a whole tree with ``train(_:)`` or ``eval()``.
    public internal(set) var isTraining = true

    /// Creates a module in training mode.
    public init() {}

    /// State-dict names for properties whose key differs from their Swift name, as `[swiftName: key]`.
    ///
    /// Override to match PyTorch's names, merging the superclass's map when it has one:
    /// ```swift
    /// override var stateKeyNames: [String: String] {
    ///     super.stateKeyNames.merging(["runningMean": "running_mean"]) { $1 }
    /// }
    /// ```
    /// An empty key splices a container property's elements into this module's namespace.
    open var stateKeyNames: [String: String] { [:] }

    /// Computes the module's output; subclasses override it. Call the module itself (`module(x)`) to run it.
    open func forward(_ input: Tensor) -> Tensor {
        fatalError("\(type(of: self)) does not override forward(_:); call its own entry point instead")
    }

    /// Runs ``forward(_:)``.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        forward(input)
    }

    // MARK: Traversal

    /// The modules owned directly, with their names relative to this one (a reference to itself excluded).
    public func namedChildren() -> [(String, Module)] {
        ModuleReflection.members(of: self).compactMap { name, member in
            if case .module(let module) = member, module !== self { (name, module) } else { nil }
        }
    }

    /// The modules owned directly.
    public var children: [Module] { namedChildren().map(\.1) }

    /// This module (named `""`) and all its descendants with dotted names, depth first; a module reachable
    /// by several paths is listed once, under the first.
    public func namedModules() -> [(String, Module)] {
        walk(removingDuplicates: true).map { ($0.path, $0.module) }
    }

    /// This module and all its descendants, each once.
    public var modules: [Module] { namedModules().map(\.1) }

    /// All trainable parameters with dotted names; a tensor shared by several modules is listed once.
    public func namedParameters() -> [(String, Tensor)] {
        var seen = Set<UInt>()
        var result: [(String, Tensor)] = []
        for visit in walk(removingDuplicates: true) {
            for (name, member) in visit.members {
                guard case .parameter(let tensor) = member, seen.insert(tensor.identity).inserted else { continue }
                result.append((ModuleReflection.joinedName(visit.path, name), tensor))
            }
        }
        return result
    }

    /// All trainable parameters, each once (what an optimizer takes).
    public func parameters() -> [Tensor] { namedParameters().map(\.1) }

    /// All buffers, persistent or not, with dotted names.
    public func namedBuffers() -> [(String, Tensor)] {
        var seen = Set<UInt>()
        var result: [(String, Tensor)] = []
        for visit in walk(removingDuplicates: true) {
            for (name, member) in visit.members {
                guard case .buffer(let tensor, _) = member, seen.insert(tensor.identity).inserted else { continue }
                result.append((ModuleReflection.joinedName(visit.path, name), tensor))
            }
        }
        return result
    }

    /// All buffers, persistent or not.
    public func buffers() -> [Tensor] { namedBuffers().map(\.1) }

    /// Parameters and persistent buffers in traversal order, by the keys ``stateDict()`` uses.
    ///
    /// Unlike ``namedParameters()`` a tensor shared by several modules appears under each of its names, as in
    /// PyTorch's `state_dict`.
    public func namedStateTensors() -> [(String, Tensor)] {
        var result: [(String, Tensor)] = []
        for visit in walk(removingDuplicates: false) {
            for (name, member) in visit.members {
                switch member {
                case .parameter(let tensor), .buffer(let tensor, persistent: true):
                    result.append((ModuleReflection.joinedName(visit.path, name), tensor))
                case .buffer, .module:
                    break
                }
            }
        }
        return result
    }

    /// Parameters and persistent buffers by dotted key, as PyTorch's `state_dict()`.
    ///
    /// The tensors are the module's own (not copies): copy them before changing them in place.
    public func stateDict() -> [String: Tensor] {
        Dictionary(namedStateTensors(), uniquingKeysWith: { first, _ in first })
    }

    /// One module reached by ``walk(removingDuplicates:)``, with its path and direct members.
    struct ModuleVisit {
        var path: String
        var module: Module
        var members: [(String, ModuleMember)]
    }

    /// This module and its descendants depth first, reflecting each once. Reference cycles (a child holding
    /// its parent) are cut; `removingDuplicates` also lists a shared module only under its first path.
    func walk(removingDuplicates: Bool) -> [ModuleVisit] {
        var visits: [ModuleVisit] = []
        var seen = Set<ObjectIdentifier>()
        var ancestors = Set<ObjectIdentifier>()
        func visit(_ module: Module, path: String) {
            let id = ObjectIdentifier(module)
            guard !ancestors.contains(id) else { return }
            if removingDuplicates {
                guard seen.insert(id).inserted else { return }
            }
            let members = ModuleReflection.members(of: module)
            visits.append(ModuleVisit(path: path, module: module, members: members))
            ancestors.insert(id)
            for (name, member) in members {
                if case .module(let child) = member {
                    visit(child, path: ModuleReflection.joinedName(path, name))
                }
            }
            ancestors.remove(id)
        }
        visit(self, path: "")
        return visits
    }

    // MARK: Modes and gradients

    /// Puts this module and all its descendants in training (`true`) or evaluation mode; returns `self`.
    @discardableResult
    public func train(_ mode: Bool = true) -> Self {
        for module in modules { module.isTraining = mode }
        return self
    }

    /// Puts this module and all its descendants in evaluation mode; returns `self`.
    @discardableResult
    public func eval() -> Self { train(false) }

    /// Stops gradient recording for every floating-point parameter (`requiresGrad = false`); returns `self`.
    @discardableResult
    public func freeze() -> Self {
        setRequiresGrad(false)
        return self
    }

    /// Turns gradient recording back on for every floating-point parameter; returns `self`.
    @discardableResult
    public func unfreeze() -> Self {
        setRequiresGrad(true)
        return self
    }

    private func setRequiresGrad(_ flag: Bool) {
        for parameter in parameters() where parameter.dtype.isFloatingPoint {
            parameter.requiresGrad(flag)
        }
    }

    /// Clears the accumulated gradient of every parameter (sets it to nil, as PyTorch's default does).
    public func zeroGrad() {
        for parameter in parameters() where parameter.grad != nil {
            parameter.grad = nil
        }
    }

    /// Number of parameter elements (shared tensors counted once).
    public var parameterCount: Int { parameters().reduce(0) { $0 + $1.count } }

    /// Number of elements of parameters that record gradients.
    public var trainableParameterCount: Int {
        parameters().filter(\.requiresGrad).reduce(0) { $0 + $1.count }
    }

    // MARK: Loading

    /// Copies `source`'s tensors into this module's parameters and buffers, in place and without recording
    /// gradients, so references to the parameters (an optimizer's) stay valid.
    ///
    /// Nothing is copied unless every check passes. Shape mismatches always fail; with `strict` (the default)
    /// keys of the module missing from `source` and keys of `source` the module does not have fail too. The
    /// error lists every problem at once. Values are converted to each destination's dtype.
    ///
    /// `origin` (a file path) is named in the error when given.
    ///
    /// - Returns: the missing and unexpected keys (empty when loading strictly).
    @discardableResult
    public func loadStateDict(_ source: [String: Tensor], strict: Bool = true, origin: String? = nil)
        throws(StateDictError) -> StateDictLoadReport
    {
        let destination = namedStateTensors()
        var missing: [String] = []
        var mismatches: [StateDictError.ShapeMismatch] = []
        var copies: [(Tensor, Tensor)] = []
        var known = Set<String>()
        for (key, target) in destination {
            known.insert(key)
            guard let value = source[key] else {
                missing.append(key)
                continue
            }
            if value.shape != target.shape {
                mismatches.append(.init(key: key, expected: target.shape, found: value.shape))
            } else {
                copies.append((target, value))
            }
        }
        let unexpected = source.keys.filter { !known.contains($0) }.sorted()
        let failed = !mismatches.isEmpty || (strict && (!missing.isEmpty || !unexpected.isEmpty))
        if failed {
            throw StateDictError(
                moduleType: String(describing: type(of: self)), origin: origin,
                missingKeys: strict ? missing : [], unexpectedKeys: strict ? unexpected : [],
                shapeMismatches: mismatches)
        }
        do {
            try withTorchErrors {
                withoutGrad {
                    for (target, value) in copies { target.copy_(value) }
                }
            }
        } catch {
            throw StateDictError(
                moduleType: String(describing: type(of: self)), origin: origin, missingKeys: [], unexpectedKeys: [],
                shapeMismatches: [], copyFailure: "\(error)")
        }
        return StateDictLoadReport(missingKeys: missing, unexpectedKeys: unexpected)
    }
}

/// What a successful ``Module/loadStateDict(_:strict:)`` or ``Module/load(from:strict:)`` skipped, and the
/// file's metadata.
public struct StateDictLoadReport: Equatable, Sendable {
    /// Keys of the module that the source did not provide (left unchanged; empty after a strict load).
    public var missingKeys: [String]
    /// Keys of the source that the module does not have (ignored; empty after a strict load).
    public var unexpectedKeys: [String]
    /// The safetensors file's `__metadata__` (empty when loading from memory).
    public var metadata: [String: String] = [:]
}

extension Tensor {
    /// The libtorch tensor object's address: equal for handles that share it (see ``isSameTensor(as:)``).
    public var identity: UInt { UInt(ctorch_tensor_identity(handle.pointer)) }
}

/// Holds a tensor's ``Tensor/identity`` without holding its memory: while the hold lives, no other tensor gets the
/// same identity, but the tensor's data is freed with its last ``Tensor``. What a tracer keeps of every tensor it
/// has seen, so identities stay unique through a trace without the trace keeping every intermediate result.
public final class TensorIdentityHold: @unchecked Sendable {
    private let weak: ctorch_tensor_weak?

    public init(_ tensor: Tensor) {
        weak = ctorch_tensor_weak_make(tensor.handle.pointer)
    }

    deinit { ctorch_tensor_weak_free(weak) }
}
