/// A training configuration that cannot be used, naming the file, the key and the value.
public struct TrainingConfigError: Error, Equatable, CustomStringConvertible {
    /// The configuration file, when the configuration came from one.
    public var file: String?
    /// The dotted key of the bad setting (`"schedule.milestones"`), or nil for a problem with the whole file.
    public var key: String?
    /// What is wrong, e.g. `-3 is invalid: must be > 0`.
    public var message: String

    /// An error about `key` (nil: the whole configuration).
    public init(file: String? = nil, key: String?, _ message: String) {
        self.file = file
        self.key = key
        self.message = message
    }

    /// "FILE: KEY: MESSAGE", leaving out the parts that are unknown.
    public var description: String {
        ([file, key].compactMap { $0 } + [message]).joined(separator: ": ")
    }
}
