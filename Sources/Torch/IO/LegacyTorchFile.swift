import Foundation

/// The tensors of a legacy-format PyTorch state dict, with the order of its keys.
public struct LegacyTorchFileContents {
    /// The tensors by state-dict key, each contiguous and detached from the file's storages.
    public var tensors: [String: Tensor]
    /// The keys in the order the state dict holds them.
    public var keys: [String]

    /// Contents with the given tensors and key order.
    public init(tensors: [String: Tensor], keys: [String]) {
        self.tensors = tensors
        self.keys = keys
    }
}

/// Reading PyTorch's legacy serialization (`torch.save(..., _use_new_zipfile_serialization=False)`, the only
/// format before PyTorch 1.6), which libtorch's C++ loaders cannot open.
///
/// Layout: four protocol-2 pickles — the magic number 0x1950a86a20f9469cfc6c, the protocol version 1001, a
/// `sys_info` dict (byte order, type sizes) and the object itself — then a pickled list of storage keys, then
/// each storage in that order as an 8-byte little-endian element count followed by its raw little-endian
/// elements. In the object, each tensor is `torch._utils._rebuild_tensor_v2(storage, offset, size, stride,
/// requires_grad, backward_hooks)`, its storage a persistent id `('storage', storage_type, key, location,
/// count, view_metadata)`.
///
/// Only state dicts are read: a dict or `collections.OrderedDict` from strings to tensors. The unpickler
/// (``PickleReader``) implements only the opcodes these files use and admits only the globals a state dict
/// needs, so nothing in the file can run code. Every problem throws ``LegacyTorchFileError`` naming the file
/// and, where it has one, the byte offset: wrong magic, a zip-format file, an unsupported opcode or global,
/// truncation anywhere, storage sizes that disagree, views that reach outside their storage, trailing bytes.
public enum LegacyTorchFile {
    /// The magic number of the first pickle, as little-endian bytes.
    static let magicNumber: [UInt8] = [0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19]
    /// The protocol version legacy files record.
    static let protocolVersion = 1001

    /// The dtype of each storage type a legacy file may name.
    static let storageTypes: [String: DType] = [
        "FloatStorage": .float32, "DoubleStorage": .float64, "HalfStorage": .float16, "LongStorage": .int64,
        "IntStorage": .int32, "ShortStorage": .int16, "CharStorage": .int8, "ByteStorage": .uint8,
        "BoolStorage": .bool,
    ]

    /// Reads the state dict in the legacy PyTorch file at `url`.
    public static func read(from url: URL) throws(LegacyTorchFileError) -> LegacyTorchFileContents {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            var isFolder: ObjCBool = false
            let reason = !FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) ? "no such file"
                : isFolder.boolValue ? "it is a folder" : (error as NSError).localizedDescription
            throw LegacyTorchFileError(file: url.path, .unreadable(reason: reason))
        }
        return try decode(data, source: url.path)
    }

    /// Parses legacy PyTorch bytes holding a state dict; `source` names them in errors.
    public static func decode(_ data: Data, source: String = "<memory>") throws(LegacyTorchFileError)
        -> LegacyTorchFileContents
    {
        let bytes = [UInt8](data)
        func failure(_ problem: LegacyTorchFileError.Problem, at offset: Int? = nil, key: String? = nil)
            -> LegacyTorchFileError
        {
            LegacyTorchFileError(file: source, offset: offset, key: key, problem)
        }
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) { throw failure(.zipFormat, at: 0) }
        guard bytes.first == 0x80 else {
            let found = bytes.first.map { "byte 0x\(String($0, radix: 16)) is not a pickle's PROTO opcode" }
            throw failure(.wrongMagic(detail: found ?? "the file is empty"), at: 0)
        }

        var storages: [String: PickleStorage] = [:]
        var reader = PickleReader(bytes: bytes, source: source, hooks: hooks(
            source: source, storages: { storages }, register: { storages[$0.key] = $0 }))

        let magicOffset = reader.position
        guard case .bigInt(let magic) = try reader.readPickle(), magic == magicNumber else {
            throw failure(.wrongMagic(detail: "the first pickle is not the magic number 0x1950a86a20f9469cfc6c"),
                          at: magicOffset)
        }
        let versionOffset = reader.position
        let version = try reader.readPickle()
        guard case .int(let versionNumber) = version, versionNumber == protocolVersion else {
            let found = if case .int(let number) = version { "\(number)" } else { version.kindName }
            throw failure(.unsupportedVersion(found), at: versionOffset)
        }
        let systemOffset = reader.position
        if case .dict(let systemInfo) = try reader.readPickle(), case .bool(false)? = systemInfo["little_endian"] {
            throw failure(.bigEndian, at: systemOffset)
        }

        let objectOffset = reader.position
        let object = try reader.readPickle()
        let keysOffset = reader.position
        guard case .list(let keyList) = try reader.readPickle() else {
            throw failure(.malformed(detail: "the storage-key record is not a list"), at: keysOffset)
        }

        // The storages, in the listed order.
        var regions: [String: Range<Int>] = [:]
        for item in keyList.items {
            guard case .string(let key) = item else {
                throw failure(.malformed(detail: "a storage key is \(item.kindName), not a string"), at: keysOffset)
            }
            let start = reader.position
            guard let storage = storages[key], storage.rootKey == key, regions[key] == nil else {
                throw failure(.unknownStorage(key), at: start)
            }
            let count = Int(truncatingIfNeeded: try reader.readUnsigned(8))
            guard count == storage.rootCount else {
                throw failure(.storageSizeMismatch(storage: key, declared: storage.rootCount, found: count), at: start)
            }
            let (size, overflow) = count.multipliedReportingOverflow(by: storage.dtype.byteSize)
            guard !overflow else {
                throw failure(.truncated(needed: Int.max, available: bytes.count - start - 8), at: start + 8)
            }
            let dataStart = reader.position
            _ = try reader.take(size)
            regions[key] = dataStart..<(dataStart + size)
        }
        if reader.position < bytes.count {
            throw failure(.trailingBytes(count: bytes.count - reader.position), at: reader.position)
        }

        guard case .dict(let stateDict) = object else {
            throw failure(.malformed(detail: "the saved object is \(object.kindName), not a state dict"),
                          at: objectOffset)
        }
        var tensors: [String: Tensor] = [:]
        var keys: [String] = []
        for (keyValue, value) in stateDict.entries {
            guard case .string(let key) = keyValue else {
                throw failure(.malformed(detail: "a state-dict key is \(keyValue.kindName)"), at: objectOffset)
            }
            guard case .tensor(let view) = value else {
                throw failure(.malformed(detail: "the value is \(value.kindName), not a tensor"), at: objectOffset,
                              key: key)
            }
            guard let region = regions[view.storage.rootKey] else {
                throw failure(.unknownStorage(view.storage.rootKey), at: keysOffset, key: key)
            }
            tensors[key] = try tensor(view, bytes: bytes, region: region) { failure($0, key: key) }
            keys.append(key)
        }
        return LegacyTorchFileContents(tensors: tensors, keys: keys)
    }

    /// The allow-listed globals, the calls a state dict makes and the storages its persistent ids name.
    private static func hooks(
        source: String, storages: @escaping () -> [String: PickleStorage], register: @escaping (PickleStorage) -> Void
    ) -> PickleHooks {
        func failure(_ detail: String, _ offset: Int) -> LegacyTorchFileError {
            LegacyTorchFileError(file: source, offset: offset, .malformed(detail: detail))
        }
        func integers(_ value: PickleValue) -> [Int]? {
            guard case .tuple(let items, _) = value else { return nil }
            let numbers = items.compactMap { item -> Int? in if case .int(let number) = item { number } else { nil } }
            return numbers.count == items.count ? numbers : nil
        }
        return PickleHooks(
            allowsGlobal: { module, name in
                switch module {
                case "collections": name == "OrderedDict"
                case "torch._utils": name == "_rebuild_tensor_v2" || name == "_rebuild_tensor"
                case "torch": storageTypes[name] != nil
                default: false
                }
            },
            call: { (module, name, arguments, offset) throws(LegacyTorchFileError) -> PickleValue in
                switch (module, name) {
                case ("collections", "OrderedDict"):
                    guard arguments.isEmpty else { throw failure("OrderedDict called with arguments", offset) }
                    return .dict(PickleDict())
                case ("torch._utils", _):
                    let expected = name == "_rebuild_tensor_v2" ? 6...7 : 4...4
                    guard expected.contains(arguments.count), case .storage(let storage) = arguments[0],
                        case .int(let storageOffset) = arguments[1], storageOffset >= 0,
                        let shape = integers(arguments[2]), let strides = integers(arguments[3]),
                        shape.count == strides.count, shape.allSatisfy({ $0 >= 0 }), strides.allSatisfy({ $0 >= 0 })
                    else {
                        throw failure("\(name) arguments are not (storage, offset, size, stride, …)", offset)
                    }
                    return .tensor(PickleTensor(
                        storage: storage, offset: storage.viewOffset + storageOffset, shape: shape, strides: strides))
                default:
                    throw LegacyTorchFileError(
                        file: source, offset: offset, .forbiddenGlobal(module: module, name: name))
                }
            },
            persistentLoad: { (id, offset) throws(LegacyTorchFileError) -> PickleValue in
                guard case .tuple(let fields, _) = id, fields.count == 5 || fields.count == 6,
                    case .string("storage") = fields[0], case .global("torch", let typeName) = fields[1],
                    let dtype = storageTypes[typeName], case .string(let key) = fields[2],
                    case .int(let count) = fields[4], count >= 0
                else {
                    throw failure("persistent id \(id.kindName) is not ('storage', type, key, location, size)", offset)
                }
                var storage = PickleStorage(key: key, dtype: dtype, count: count)
                if fields.count == 6, case .tuple(let view, _) = fields[5] {
                    // (view key, offset, size): a slice of the root storage `key`.
                    guard view.count == 3, case .string(let viewKey) = view[0], case .int(let viewOffset) = view[1],
                        case .int(let viewCount) = view[2], viewOffset >= 0, viewCount >= 0,
                        viewOffset + viewCount <= count
                    else { throw failure("malformed storage view metadata", offset) }
                    storage = PickleStorage(key: viewKey, dtype: dtype, count: viewCount, rootKey: key,
                                            rootCount: count, viewOffset: viewOffset)
                }
                if let known = storages()[storage.key] {
                    guard known.dtype == storage.dtype, known.count == storage.count, known.rootKey == storage.rootKey
                    else { throw failure("storage '\(key)' is referenced with different types or sizes", offset) }
                    return .storage(known)
                }
                register(storage)
                if storage.rootKey != storage.key, storages()[storage.rootKey] == nil {
                    register(PickleStorage(key: storage.rootKey, dtype: dtype, count: count))
                }
                return .storage(storage)
            })
    }

    /// The contiguous tensor `view` describes in the storage bytes `region` of `bytes`.
    private static func tensor(
        _ view: PickleTensor, bytes: [UInt8], region: Range<Int>,
        failure: (LegacyTorchFileError.Problem) -> LegacyTorchFileError
    ) throws(LegacyTorchFileError) -> Tensor {
        let elementSize = view.storage.dtype.byteSize
        let storageCount = region.count / elementSize
        var count = 1
        var last = view.offset
        for (size, stride) in zip(view.shape, view.strides) {
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            let (reach, reachOverflow) = max(size - 1, 0).multipliedReportingOverflow(by: stride)
            guard !overflow, !reachOverflow else {
                throw failure(.viewOutOfBounds(storageCount: storageCount, detail: "shape \(view.shape)"))
            }
            count = product
            last += reach
        }
        // More elements than the storage means overlapping strides (an expanded view): never in a state dict,
        // and a crafted one could ask for any amount of memory.
        guard count <= view.storage.count else {
            throw failure(.viewOutOfBounds(storageCount: view.storage.count, detail:
                "shape \(view.shape) with stride \(view.strides) (\(count) elements, overlapping)"))
        }
        let limit = view.storage.viewOffset + view.storage.count
        if count > 0, view.offset >= limit || last >= limit {
            throw failure(.viewOutOfBounds(storageCount: view.storage.count, detail:
                "offset \(view.offset - view.storage.viewOffset), shape \(view.shape), stride \(view.strides)"))
        }

        var contiguous = [UInt8](repeating: 0, count: count * elementSize)
        let rowMajor = view.shape.indices.reversed().reduce(into: (stride: 1, matches: true)) { state, axis in
            if view.shape[axis] != 1 && view.strides[axis] != state.stride { state.matches = false }
            state.stride *= view.shape[axis]
        }.matches
        if count > 0 {
            let base = region.lowerBound
            if rowMajor {
                let start = base + view.offset * elementSize
                contiguous.withUnsafeMutableBytes { target in
                    bytes.withUnsafeBytes { source in
                        let slice = source[start..<(start + target.count)]
                        target.copyMemory(from: UnsafeRawBufferPointer(rebasing: slice))
                    }
                }
            } else {
                // An odometer over the indices, keeping the source element's offset up to date.
                var index = [Int](repeating: 0, count: view.shape.count)
                var element = view.offset
                contiguous.withUnsafeMutableBytes { target in
                    bytes.withUnsafeBytes { source in
                        for position in 0..<count {
                            let from = base + element * elementSize
                            for byte in 0..<elementSize { target[position * elementSize + byte] = source[from + byte] }
                            var axis = view.shape.count - 1
                            while axis >= 0 {
                                index[axis] += 1
                                element += view.strides[axis]
                                if index[axis] < view.shape[axis] { break }
                                element -= view.strides[axis] * index[axis]
                                index[axis] = 0
                                axis -= 1
                            }
                        }
                    }
                }
            }
        }
        if view.storage.dtype == .bool, let byte = contiguous.first(where: { $0 > 1 }) {
            throw failure(.tensor(message: "bool storage holds byte \(byte); only 0 and 1 are valid"))
        }
        let made: Result<Tensor, TorchError> = contiguous.withUnsafeBytes { buffer in
            Result { () throws(TorchError) in try Tensor(bytes: buffer, shape: view.shape, dtype: view.storage.dtype) }
        }
        switch made {
        case .success(let tensor): return tensor
        case .failure(let error): throw failure(.tensor(message: error.message))
        }
    }
}
