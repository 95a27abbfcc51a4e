/// Marks a module's property as a reference to state that belongs elsewhere, so reflection ignores it: its
/// parameters are not this module's, are not saved with it and are not frozen, trained or loaded with it.
///
/// ```swift
/// final class Student: Module {
///     let backbone = MobileFaceNet()
///     @NotOwned var teacher: IResNet    // guides training, trained and saved by nobody here
/// }
/// ```
///
/// The reference is strong; do not use it to point back at a module that owns this one (that would be a
/// retain cycle).
@propertyWrapper
public struct NotOwned<Value> {
    /// The referenced value.
    public var wrappedValue: Value

    /// A reference reflection skips.
    public init(wrappedValue: Value) {
        self.wrappedValue = wrappedValue
    }
}

/// Type-erased marker for ``NotOwned`` storage, recognized by reflection.
protocol NotOwnedStorage {}

extension NotOwned: NotOwnedStorage {}
