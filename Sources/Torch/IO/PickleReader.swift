/// A Python object rebuilt from a pickle, as far as ``PickleReader`` rebuilds them.
///
/// Lists and dicts are references (``PickleList``, ``PickleDict``) because the pickle's memo shares them and
/// later opcodes fill them in place. Storages and tensors are what ``LegacyTorchFile``'s hooks make of
/// persistent ids and `torch._utils._rebuild_tensor_v2` calls.
///
/// Containers record their nesting depth, which ``PickleReader`` bounds: releasing a deeply nested value
/// recurses once per level, so a crafted file could otherwise overflow the stack.
indirect enum PickleValue {
    case none
    case bool(Bool)
    case int(Int)
    /// An integer too large for `Int`, as little-endian two's-complement bytes (the legacy magic number).
    case bigInt([UInt8])
    case float(Double)
    case string(String)
    /// A tuple and its nesting depth (1 for a tuple of scalars).
    case tuple([PickleValue], depth: Int)
    case list(PickleList)
    case dict(PickleDict)
    /// A global the reader's allow-list admitted, not yet called.
    case global(module: String, name: String)
    case storage(PickleStorage)
    case tensor(PickleTensor)

    /// How deeply containers nest inside this value: 0 for a scalar, 1 for a container of scalars.
    var depth: Int {
        switch self {
        case .tuple(_, let depth): depth
        case .list(let list): list.depth
        case .dict(let dict): dict.depth
        default: 0
        }
    }

    /// The kind's name for error messages.
    var kindName: String {
        switch self {
        case .none: "None"
        case .bool: "a bool"
        case .int, .bigInt: "an int"
        case .float: "a float"
        case .string: "a string"
        case .tuple: "a tuple"
        case .list: "a list"
        case .dict: "a dict"
        case .global(let module, let name): "\(module).\(name)"
        case .storage: "a storage"
        case .tensor: "a tensor"
        }
    }
}

/// A Python list under construction or complete.
final class PickleList {
    var items: [PickleValue] = []
    /// 1 + the deepest item's depth.
    var depth = 1
    /// Whether another container holds this one (it may then gain no containers, so `depth` stays true).
    var isNested = false
}

/// A Python dict (or `collections.OrderedDict`), its entries in insertion order.
final class PickleDict {
    var entries: [(key: PickleValue, value: PickleValue)] = []
    /// 1 + the deepest key's or value's depth.
    var depth = 1
    /// Whether another container holds this one (it may then gain no containers, so `depth` stays true).
    var isNested = false
    /// Index into `entries` of each string key, so a repeated key replaces its value as in Python.
    private var stringKeys: [String: Int] = [:]

    func set(_ key: PickleValue, _ value: PickleValue) {
        if case .string(let name) = key {
            if let index = stringKeys[name] {
                entries[index].value = value
                return
            }
            stringKeys[name] = entries.count
        }
        entries.append((key, value))
    }

    /// The value under the string key `name`.
    subscript(name: String) -> PickleValue? {
        stringKeys[name].map { entries[$0].value }
    }
}

/// A storage a persistent id names: its key in the file, element type and declared element count.
final class PickleStorage {
    let key: String
    let dtype: DType
    let count: Int
    /// For a view of another storage (`view_metadata`): the elements before it in the root storage.
    let viewOffset: Int
    /// The key of the storage that holds the bytes (the root, for a view).
    let rootKey: String
    let rootCount: Int

    init(key: String, dtype: DType, count: Int, rootKey: String? = nil, rootCount: Int? = nil, viewOffset: Int = 0) {
        self.key = key
        self.dtype = dtype
        self.count = count
        self.rootKey = rootKey ?? key
        self.rootCount = rootCount ?? count
        self.viewOffset = viewOffset
    }
}

/// A strided tensor view of a storage, as `torch._utils._rebuild_tensor_v2` describes it.
struct PickleTensor {
    let storage: PickleStorage
    let offset: Int
    let shape: [Int]
    let strides: [Int]
}

/// The callbacks through which ``PickleReader`` turns the only opcodes that can run code — GLOBAL, REDUCE,
/// BINPERSID — into data; anything they do not accept is refused.
struct PickleHooks {
    /// Whether GLOBAL may name `module.name`.
    var allowsGlobal: (_ module: String, _ name: String) -> Bool
    /// The result of calling an admitted global with `arguments` (REDUCE); `offset` is the opcode's.
    var call: (_ module: String, _ name: String, _ arguments: [PickleValue], _ offset: Int)
        throws(LegacyTorchFileError) -> PickleValue
    /// The object a persistent id stands for (BINPERSID).
    var persistentLoad: (_ id: PickleValue, _ offset: Int) throws(LegacyTorchFileError) -> PickleValue
}

/// A minimal unpickler for the protocol-2 pickles in legacy `torch.save` files: it implements only the
/// opcodes those files use and refuses every other one, naming it and its byte offset. It never imports or
/// runs Python code: globals pass through ``PickleHooks`` allow-listing, and calls through its `call`.
struct PickleReader {
    /// The whole file.
    let bytes: [UInt8]
    /// Where the next opcode starts.
    var position: Int
    /// The file's name for errors.
    let source: String
    let hooks: PickleHooks
    /// The deepest nesting of containers accepted (state dicts need 3).
    static let maximumDepth = 64

    /// A reader of the pickles in `bytes` from `position` on.
    init(bytes: [UInt8], position: Int = 0, source: String, hooks: PickleHooks) {
        self.bytes = bytes
        self.position = position
        self.source = source
        self.hooks = hooks
    }

    /// An error at `offset` (default: the current position).
    func failure(_ problem: LegacyTorchFileError.Problem, at offset: Int? = nil) -> LegacyTorchFileError {
        LegacyTorchFileError(file: source, offset: offset ?? position, problem)
    }

    /// The next `count` bytes; throws a truncation error naming where they start.
    mutating func take(_ count: Int) throws(LegacyTorchFileError) -> ArraySlice<UInt8> {
        guard count >= 0 else { throw failure(.malformed(detail: "negative length \(count)")) }
        let available = bytes.count - position
        guard count <= available else { throw failure(.truncated(needed: count, available: available)) }
        defer { position += count }
        return bytes[position..<(position + count)]
    }

    /// A little-endian unsigned integer of `count` bytes (at most 8).
    mutating func readUnsigned(_ count: Int) throws(LegacyTorchFileError) -> UInt64 {
        try take(count).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    /// A text line ending in `\n` (GLOBAL's module and name).
    private mutating func readLine() throws(LegacyTorchFileError) -> String {
        guard let end = bytes[position...].firstIndex(of: UInt8(ascii: "\n")) else {
            throw failure(.truncated(needed: bytes.count - position + 1, available: bytes.count - position))
        }
        let line = String(decoding: bytes[position..<end], as: UTF8.self)
        position = end + 1
        return line
    }

    /// A UTF-8 string of `count` bytes.
    private mutating func readString(_ count: Int) throws(LegacyTorchFileError) -> String {
        let start = position
        let slice = try take(count)
        guard let text = String(validating: slice, as: UTF8.self) else {
            throw failure(.malformed(detail: "string of \(count) bytes is not valid UTF-8"), at: start)
        }
        return text
    }

    /// The depth of a container of depth `depth` once it also holds `items`, marking container items as nested.
    ///
    /// Depths are computed as containers fill; a container may gain containers only until it is put into
    /// another (as pickles build them, bottom-up), so no recorded depth goes stale.
    private func adopt(_ items: [PickleValue], depth: Int, intoNested nested: Bool, at offset: Int)
        throws(LegacyTorchFileError) -> Int
    {
        var result = depth
        for item in items where item.depth > 0 {
            guard !nested else {
                throw failure(.malformed(detail: "a container gains a container after being put into another"),
                              at: offset)
            }
            switch item {
            case .list(let list): list.isNested = true
            case .dict(let dict): dict.isNested = true
            default: break
            }
            result = max(result, item.depth + 1)
        }
        guard result <= Self.maximumDepth else {
            throw failure(.malformed(detail: "containers nested deeper than \(Self.maximumDepth) levels"), at: offset)
        }
        return result
    }

    /// Reads one pickle, up to and including its STOP opcode, and returns the object it builds.
    mutating func readPickle() throws(LegacyTorchFileError) -> PickleValue {
        var stack: [PickleValue] = []
        var marks: [Int] = []
        var memo: [Int: PickleValue] = [:]

        func pop(_ offset: Int) throws(LegacyTorchFileError) -> PickleValue {
            guard let value = stack.popLast(), marks.last.map({ stack.count >= $0 }) ?? true else {
                throw failure(.malformed(detail: "stack underflow"), at: offset)
            }
            return value
        }
        func popToMark(_ offset: Int) throws(LegacyTorchFileError) -> [PickleValue] {
            guard let mark = marks.popLast() else { throw failure(.malformed(detail: "no MARK to pop to"), at: offset) }
            defer { stack.removeSubrange(mark...) }
            return Array(stack[mark...])
        }
        func popTuple(_ count: Int, _ offset: Int) throws(LegacyTorchFileError) -> PickleValue {
            guard stack.count - (marks.last ?? 0) >= count else {
                throw failure(.malformed(detail: "stack underflow"), at: offset)
            }
            let items = Array(stack.suffix(count))
            stack.removeLast(count)
            return .tuple(items, depth: try adopt(items, depth: 1, intoNested: false, at: offset))
        }
        func top(_ offset: Int) throws(LegacyTorchFileError) -> PickleValue {
            guard let value = stack.last, stack.count > (marks.last ?? 0) else {
                throw failure(.malformed(detail: "stack underflow"), at: offset)
            }
            return value
        }
        func memoGet(_ index: Int, _ offset: Int) throws(LegacyTorchFileError) -> PickleValue {
            guard let value = memo[index] else {
                throw failure(.malformed(detail: "memo entry \(index) read before it was written"), at: offset)
            }
            return value
        }

        while true {
            let offset = position
            let opcode = try take(1).first!
            switch opcode {
            case 0x80:  // PROTO
                let version = Int(try readUnsigned(1))
                guard version <= 2 else { throw failure(.unsupportedProtocol(version), at: offset) }
            case 0x2E:  // STOP
                guard stack.count == 1, marks.isEmpty else {
                    throw failure(.malformed(detail: "STOP with \(stack.count) values on the stack"), at: offset)
                }
                return stack[0]
            case 0x28:  // MARK
                marks.append(stack.count)
            case 0x4E:  // NONE
                stack.append(.none)
            case 0x88:  // NEWTRUE
                stack.append(.bool(true))
            case 0x89:  // NEWFALSE
                stack.append(.bool(false))
            case 0x4B:  // BININT1
                stack.append(.int(Int(try readUnsigned(1))))
            case 0x4D:  // BININT2
                stack.append(.int(Int(try readUnsigned(2))))
            case 0x4A:  // BININT
                stack.append(.int(Int(Int32(truncatingIfNeeded: try readUnsigned(4)))))
            case 0x8A:  // LONG1
                let count = Int(try readUnsigned(1))
                let digits = Array(try take(count))
                if count <= 8 {
                    var value = digits.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                    if count > 0, count < 8, digits[count - 1] & 0x80 != 0 { value |= ~UInt64(0) << UInt64(8 * count) }
                    stack.append(.int(Int(Int64(bitPattern: value))))
                } else {
                    stack.append(.bigInt(digits))
                }
            case 0x47:  // BINFLOAT (big-endian)
                let raw = try take(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                stack.append(.float(Double(bitPattern: raw)))
            case 0x58:  // BINUNICODE
                let count = Int(try readUnsigned(4))
                stack.append(.string(try readString(count)))
            case 0x55:  // SHORT_BINSTRING (Python 2 str; ASCII in the files this reads)
                let count = Int(try readUnsigned(1))
                stack.append(.string(try readString(count)))
            case 0x54:  // BINSTRING
                let count = Int(try readUnsigned(4))
                stack.append(.string(try readString(count)))
            case 0x29:  // EMPTY_TUPLE
                stack.append(.tuple([], depth: 1))
            case 0x85, 0x86, 0x87:  // TUPLE1, TUPLE2, TUPLE3
                stack.append(try popTuple(Int(opcode - 0x84), offset))
            case 0x74:  // TUPLE
                let items = try popToMark(offset)
                stack.append(.tuple(items, depth: try adopt(items, depth: 1, intoNested: false, at: offset)))
            case 0x5D:  // EMPTY_LIST
                stack.append(.list(PickleList()))
            case 0x7D:  // EMPTY_DICT
                stack.append(.dict(PickleDict()))
            case 0x61:  // APPEND
                let item = try pop(offset)
                guard case .list(let list) = try top(offset) else {
                    throw failure(.malformed(detail: "APPEND to \(try top(offset).kindName)"), at: offset)
                }
                list.depth = try adopt([item], depth: list.depth, intoNested: list.isNested, at: offset)
                list.items.append(item)
            case 0x65:  // APPENDS
                let items = try popToMark(offset)
                guard case .list(let list) = try top(offset) else {
                    throw failure(.malformed(detail: "APPENDS to \(try top(offset).kindName)"), at: offset)
                }
                list.depth = try adopt(items, depth: list.depth, intoNested: list.isNested, at: offset)
                list.items += items
            case 0x73:  // SETITEM
                let value = try pop(offset)
                let key = try pop(offset)
                guard case .dict(let dict) = try top(offset) else {
                    throw failure(.malformed(detail: "SETITEM on \(try top(offset).kindName)"), at: offset)
                }
                dict.depth = try adopt([key, value], depth: dict.depth, intoNested: dict.isNested, at: offset)
                dict.set(key, value)
            case 0x75:  // SETITEMS
                let items = try popToMark(offset)
                guard items.count.isMultiple(of: 2) else {
                    throw failure(.malformed(detail: "SETITEMS with an odd number of values"), at: offset)
                }
                guard case .dict(let dict) = try top(offset) else {
                    throw failure(.malformed(detail: "SETITEMS on \(try top(offset).kindName)"), at: offset)
                }
                dict.depth = try adopt(items, depth: dict.depth, intoNested: dict.isNested, at: offset)
                for index in stride(from: 0, to: items.count, by: 2) { dict.set(items[index], items[index + 1]) }
            case 0x71:  // BINPUT
                memo[Int(try readUnsigned(1))] = try top(offset)
            case 0x72:  // LONG_BINPUT
                memo[Int(try readUnsigned(4))] = try top(offset)
            case 0x68:  // BINGET
                stack.append(try memoGet(Int(try readUnsigned(1)), offset))
            case 0x6A:  // LONG_BINGET
                stack.append(try memoGet(Int(try readUnsigned(4)), offset))
            case 0x63:  // GLOBAL
                let module = try readLine()
                let name = try readLine()
                guard hooks.allowsGlobal(module, name) else {
                    throw failure(.forbiddenGlobal(module: module, name: name), at: offset)
                }
                stack.append(.global(module: module, name: name))
            case 0x52:  // REDUCE
                let arguments = try pop(offset)
                let callable = try pop(offset)
                guard case .global(let module, let name) = callable, case .tuple(let values, _) = arguments else {
                    let found = "\(callable.kindName) with \(arguments.kindName)"
                    throw failure(.malformed(detail: "REDUCE of \(found) (expected a global and a tuple)"), at: offset)
                }
                stack.append(try hooks.call(module, name, values, offset))
            case 0x51:  // BINPERSID
                stack.append(try hooks.persistentLoad(try pop(offset), offset))
            case 0x62:  // BUILD
                let state = try pop(offset)
                // Only a state dict's `_metadata` attribute reaches here; attributes of dicts are dropped.
                guard case .dict = try top(offset) else {
                    throw failure(.malformed(detail: "BUILD on \(try top(offset).kindName)"), at: offset)
                }
                _ = state
            default:
                throw failure(.unsupportedOpcode(opcode), at: offset)
            }
        }
    }
}
