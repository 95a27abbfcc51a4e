/// A legacy-format (pre-1.6, not zip) PyTorch file that could not be read, naming the file, the byte offset
/// where the problem lies when there is one, the state-dict key when one is involved, and what is wrong.
public struct LegacyTorchFileError: Error, CustomStringConvertible, Equatable {
    /// What is wrong with the file.
    public enum Problem: Equatable, Sendable {
        /// The file could not be read (missing, a folder, no permission).
        case unreadable(reason: String)
        /// The file is a zip archive, the format `torch.save` writes since PyTorch 1.6.
        case zipFormat
        /// The file does not start with the legacy format's magic-number pickle.
        case wrongMagic(detail: String)
        /// The protocol-version record is not the one legacy files carry (1001).
        case unsupportedVersion(String)
        /// The file was written on a big-endian machine.
        case bigEndian
        /// The file ends before a record does: `needed` bytes were wanted where only `available` remain.
        case truncated(needed: Int, available: Int)
        /// A pickle opcode this reader does not implement.
        case unsupportedOpcode(UInt8)
        /// A pickle protocol other than 0–2.
        case unsupportedProtocol(Int)
        /// A pickle names a Python global that is not one of the few a state dict needs.
        case forbiddenGlobal(module: String, name: String)
        /// The pickle is well formed but not what a state dict looks like (wrong types, stack underflow).
        case malformed(detail: String)
        /// A storage's element count differs from the count its references declared.
        case storageSizeMismatch(storage: String, declared: Int, found: Int)
        /// The storage list names a storage no tensor refers to, or a tensor refers to one it does not list.
        case unknownStorage(String)
        /// A tensor's offset, sizes and strides reach outside its storage.
        case viewOutOfBounds(storageCount: Int, detail: String)
        /// Bytes follow the last storage.
        case trailingBytes(count: Int)
        /// libtorch could not create the tensor.
        case tensor(message: String)
    }

    /// The file (or the in-memory source's name).
    public var file: String
    /// The byte offset in the file where the problem was found, when it concerns one place.
    public var offset: Int?
    /// The state-dict key when the problem concerns one tensor.
    public var key: String?
    /// What is wrong.
    public var problem: Problem

    /// An error about `file` (at `offset`, concerning `key`, when given).
    public init(file: String, offset: Int? = nil, key: String? = nil, _ problem: Problem) {
        self.file = file
        self.offset = offset
        self.key = key
        self.problem = problem
    }

    /// "FILE: at byte OFFSET: tensor 'KEY': WHAT".
    public var description: String {
        var subject = file
        if let offset { subject += ": at byte \(offset)" }
        if let key { subject += ": tensor '\(key)'" }
        return "\(subject): \(explanation)"
    }

    private var explanation: String {
        switch problem {
        case .unreadable(let reason):
            "cannot read: \(reason)"
        case .zipFormat:
            "a zip-format torch.save file (PyTorch ≥ 1.6); only the legacy format is read here"
        case .wrongMagic(let detail):
            "not a legacy PyTorch file: \(detail)"
        case .unsupportedVersion(let found):
            "unsupported legacy protocol version \(found) (expected 1001)"
        case .bigEndian:
            "written on a big-endian machine; only little-endian files are supported"
        case .truncated(let needed, let available):
            "truncated file: \(needed) bytes needed, \(available) remain"
        case .unsupportedOpcode(let opcode):
            "unsupported pickle opcode 0x\(String(opcode, radix: 16, uppercase: true).leftPadded(to: 2))"
                + (opcode >= 0x21 && opcode < 0x7F ? " ('\(Character(Unicode.Scalar(opcode)))')" : "")
        case .unsupportedProtocol(let version):
            "unsupported pickle protocol \(version) (legacy torch.save files use protocol 2)"
        case .forbiddenGlobal(let module, let name):
            "refusing the Python global \(module).\(name): a state dict needs only collections.OrderedDict, "
                + "torch._utils._rebuild_tensor(_v2) and torch storage types"
        case .malformed(let detail):
            "malformed pickle: \(detail)"
        case .storageSizeMismatch(let storage, let declared, let found):
            "storage '\(storage)' holds \(found) elements, its references declare \(declared)"
        case .unknownStorage(let storage):
            "storage '\(storage)' is not both listed and referenced by a tensor"
        case .viewOutOfBounds(let count, let detail):
            "\(detail) reaches outside its \(count)-element storage"
        case .trailingBytes(let count):
            "\(count) bytes after the last storage belong to nothing"
        case .tensor(let message):
            message
        }
    }
}

extension String {
    /// The string with leading zeros up to `length` characters.
    fileprivate func leftPadded(to length: Int) -> String {
        String(repeating: "0", count: max(0, length - count)) + self
    }
}
