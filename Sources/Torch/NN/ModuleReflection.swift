/// Discovery of a module's parameters, buffers and child modules from its stored properties (with `Mirror`).
///
/// The rules, applied to every stored property of the module's class and its superclasses (superclass
/// properties first, each class in declaration order):
/// - a `Tensor` (or a non-nil `Tensor?`) is a parameter;
/// - a ``Buffer`` property is a buffer (absent when it holds nil);
/// - a `Module` (or a non-nil optional one) is a child;
/// - arrays name their elements by index (`blocks.0`, `blocks.1`, …) and `[String: …]` dictionaries by key,
///   in key order; elements may be tensors, modules, optionals or nested containers;
/// - ``NotOwned`` properties and anything else (numbers, configuration, closures) are ignored.
///
/// The state-dict name of a property is its Swift name, or the name that ``Module/stateKeyNames`` maps it to.
/// Reflection happens only when the module is traversed (state dicts, parameter lists, `train()`), never in
/// `forward`.
enum ModuleMember {
    case parameter(Tensor)
    case buffer(Tensor, persistent: Bool)
    case module(Module)
}

/// Containers whose elements may hold module state.
protocol ModuleStateContainer {
    static var elementType: Any.Type { get }
    /// The elements with their name components, in a stable order.
    var namedElements: [(String, Any)] { get }
}

extension Array: ModuleStateContainer {
    static var elementType: Any.Type { Element.self }
    var namedElements: [(String, Any)] { enumerated().map { (String($0.offset), $0.element as Any) } }
}

extension Dictionary: ModuleStateContainer where Key == String {
    static var elementType: Any.Type { Value.self }
    var namedElements: [(String, Any)] { sorted { $0.key < $1.key }.map { ($0.key, $0.value as Any) } }
}

/// Optionals, seen through their wrapped type.
protocol OptionalStateType {
    static var wrappedType: Any.Type { get }
}

extension Optional: OptionalStateType {
    static var wrappedType: Any.Type { Wrapped.self }
}

enum ModuleReflection {
    /// Prefix Swift gives the storage of `lazy var` properties.
    private static let lazyStoragePrefix = "$__lazy_storage_$_"

    /// The parameters, buffers and children `module` owns directly, named relative to it.
    static func members(of module: Module) -> [(String, ModuleMember)] {
        var mirrors: [Mirror] = []
        var next: Mirror? = Mirror(reflecting: module)
        while let mirror = next, mirror.subjectType != Module.self {
            mirrors.append(mirror)
            next = mirror.superclassMirror
        }
        let renames = module.stateKeyNames
        var members: [(String, ModuleMember)] = []
        for mirror in mirrors.reversed() {
            for child in mirror.children where !(child.value is NotOwnedStorage) {
                guard var label = child.label else { continue }
                if label.hasPrefix(lazyStoragePrefix) {
                    label.removeFirst(lazyStoragePrefix.count)
                } else if child.value is BufferStorage, label.hasPrefix("_") {
                    label.removeFirst()  // a property wrapper's storage is named `_property`
                }
                collect(child.value, name: renames[label] ?? label, into: &members)
            }
        }
        return members
    }

    private static func collect(_ value: Any, name: String, into members: inout [(String, ModuleMember)]) {
        if let buffer = value as? BufferStorage {
            if let tensor = buffer.storedTensor {
                precondition(!name.isEmpty, "a buffer cannot have an empty state-dict name")
                members.append((name, .buffer(tensor, persistent: buffer.isPersistent)))
            }
        } else if let tensor = value as? Tensor {
            precondition(!name.isEmpty, "a parameter cannot have an empty state-dict name")
            members.append((name, .parameter(tensor)))
        } else if let module = value as? Module {
            members.append((name, .module(module)))
        } else if let container = value as? ModuleStateContainer, mayHoldState(type(of: container).elementType) {
            for (key, element) in container.namedElements {
                collect(element, name: joinedName(name, key), into: &members)
            }
        }
    }

    /// Whether the elements of a container of `type` need visiting: false only for types known to hold no
    /// state (numbers, strings, booleans), so large arrays of plain values cost nothing. Existential element
    /// types (`[any Layer]`, `[Any]`) are visited element by element.
    private static func mayHoldState(_ type: Any.Type) -> Bool {
        if type == Tensor.self || type is Module.Type || type is BufferStorage.Type { return true }
        if let optional = type as? OptionalStateType.Type { return mayHoldState(optional.wrappedType) }
        if let container = type as? ModuleStateContainer.Type { return mayHoldState(container.elementType) }
        return !(type is any Numeric.Type || type is any StringProtocol.Type || type == Bool.self
            || type == Character.self || type == IntPair.self || type == DType.self)
    }

    /// `prefix.name`, or whichever is non-empty.
    static func joinedName(_ prefix: String, _ name: String) -> String {
        if prefix.isEmpty { return name }
        if name.isEmpty { return prefix }
        return prefix + "." + name
    }
}
