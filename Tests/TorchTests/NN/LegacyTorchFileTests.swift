import Foundation
import Testing

@testable import Torch

/// The fixture written by scripts/fixtures/legacy_torch_fixture.py and its expected contents.
private enum LegacyFixture {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let file = folder.appendingPathComponent("legacy_state_dict.pt")

    /// One tensor as the script recorded it.
    struct Expected: Decodable {
        var dtype: String
        var shape: [Int]
        var values: [Double]
    }

    static func bytes() throws -> Data { try Data(contentsOf: file) }

    /// The recorded tensors and, from the JSON text, their order.
    static func expected() throws -> (tensors: [String: Expected], keys: [String]) {
        let data = try Data(contentsOf: folder.appendingPathComponent("legacy_state_dict.json"))
        let tensors = try JSONDecoder().decode([String: Expected].self, from: data)
        let text = String(decoding: data, as: UTF8.self)
        func position(_ key: String) -> String.Index { text.range(of: "\"\(key)\": {")!.lowerBound }
        let keys = tensors.keys.sorted { position($0) < position($1) }
        return (tensors, keys)
    }

    /// The fixture with `old` replaced by `new` (same or different length).
    static func patched(_ old: String, _ new: String) throws -> Data {
        let data = try bytes()
        let range = try #require(data.range(of: Data(old.utf8)))
        var result = data
        result.replaceSubrange(range, with: Data(new.utf8))
        return result
    }

    /// The offset of the first storage's element count: just after the storage-key list, the last pickle, which
    /// ends with APPENDS, STOP.
    static func storageSectionStart(_ data: Data) throws -> Int {
        let keyList = try #require(data.range(of: Data([0x2E, 0x80, 0x02, 0x5D]), options: .backwards))
        let end = try #require(data.range(of: Data([0x65, 0x2E]), in: keyList.upperBound..<data.endIndex))
        return end.upperBound
    }
}

/// Whether `error` is a ``LegacyTorchFileError`` with `problem` at `offset` (any offset when nil).
private func matches(_ error: any Error, _ problem: LegacyTorchFileError.Problem, at offset: Int? = nil) -> Bool {
    guard let error = error as? LegacyTorchFileError else { return false }
    return error.problem == problem && (offset == nil || error.offset == offset) && error.file == "fixture.pt"
}

@Suite("Legacy PyTorch files")
struct LegacyTorchFileTests {
    @Test("The fixture's tensors, views and key order come back exactly")
    func readsTheFixture() throws {
        let contents = try LegacyTorchFile.read(from: LegacyFixture.file)
        let (expected, order) = try LegacyFixture.expected()
        #expect(contents.keys == order)
        #expect(Set(contents.tensors.keys) == Set(order))
        for key in order {
            let tensor = try #require(contents.tensors[key])
            let reference = try #require(expected[key])
            #expect(tensor.shape == reference.shape, "\(key)")
            #expect(tensor.isContiguous())
            switch reference.dtype {
            case "float32":
                #expect(tensor.dtype == .float32, "\(key)")
                #expect(tensor.array(of: Float.self) == reference.values.map(Float.init), "\(key)")
            case "int64":
                #expect(tensor.dtype == .int64, "\(key)")
                #expect(tensor.array(of: Int64.self) == reference.values.map { Int64($0) }, "\(key)")
            default:
                Issue.record("unexpected dtype \(reference.dtype) for \(key)")
            }
        }
        // The views are contiguous copies: the transpose reads base column by column, the window from offset 8.
        #expect(contents.tensors["transposed"]?.array(of: Float.self).prefix(3) == [-3, 0, 3])
        #expect(contents.tensors["window"]?.array(of: Float.self) == [1, 1.5, 2, 4, 4.5, 5])
    }

    @Test("A file cut anywhere is a truncation error naming the file and where the missing bytes start")
    func truncation() throws {
        let data = try LegacyFixture.bytes()
        for length in 1..<data.count {
            #expect {
                try LegacyTorchFile.decode(data.prefix(length), source: "fixture.pt")
            } throws: { error in
                guard let error = error as? LegacyTorchFileError,
                    case .truncated(let needed, let available) = error.problem, let offset = error.offset
                else { return false }
                return offset <= length && available == length - offset && needed > available
            }
        }
        let storages = try LegacyFixture.storageSectionStart(data)
        for length in [1, 16, 200, storages + 4, data.count - 1] {
            let error = try #require(throws: LegacyTorchFileError.self) {
                try LegacyTorchFile.decode(data.prefix(length), source: "fixture.pt")
            }
            #expect("\(error)".hasPrefix("fixture.pt: at byte "), "\(error)")
            #expect("\(error)".contains("truncated file"), "\(error)")
        }
    }

    @Test("An empty file, another format and a wrong magic number are refused at byte 0")
    func wrongMagic() throws {
        #expect {
            try LegacyTorchFile.decode(Data(), source: "fixture.pt")
        } throws: { matches($0, .wrongMagic(detail: "the file is empty"), at: 0) }
        #expect {
            try LegacyTorchFile.decode(Data("hello".utf8), source: "fixture.pt")
        } throws: { error in
            guard let error = error as? LegacyTorchFileError, case .wrongMagic = error.problem else { return false }
            return error.offset == 0 && "\(error)".contains("0x68")
        }
        #expect {
            try LegacyTorchFile.decode(Data([0x50, 0x4B, 0x03, 0x04, 0, 0]), source: "fixture.pt")
        } throws: { matches($0, .zipFormat, at: 0) }
        var data = try LegacyFixture.bytes()
        data[5] ^= 0xFF
        #expect {
            try LegacyTorchFile.decode(data, source: "fixture.pt")
        } throws: { error in
            guard let error = error as? LegacyTorchFileError, case .wrongMagic = error.problem else { return false }
            return error.offset == 0
        }
    }

    @Test("Opcodes outside the implemented set are refused by value and offset")
    func unsupportedOpcode() throws {
        var data = try LegacyFixture.bytes()
        data[2] = 0x95  // FRAME (protocol 4) where LONG1 holds the magic number
        #expect {
            try LegacyTorchFile.decode(data, source: "fixture.pt")
        } throws: { error in
            matches(error, .unsupportedOpcode(0x95), at: 2) && "\(error)".contains("at byte 2")
                && "\(error)".contains("0x95")
        }
        data = try LegacyFixture.bytes()
        data[1] = 4
        #expect {
            try LegacyTorchFile.decode(data, source: "fixture.pt")
        } throws: { matches($0, .unsupportedProtocol(4), at: 0) }
    }

    @Test("Globals other than a state dict's are refused, never run")
    func forbiddenGlobal() throws {
        let data = try LegacyFixture.patched("collections\nOrderedDict\n", "posix\nsystem\n")
        #expect {
            try LegacyTorchFile.decode(data, source: "fixture.pt")
        } throws: { error in
            matches(error, .forbiddenGlobal(module: "posix", name: "system")) && "\(error)".contains("posix.system")
        }
        let builtins = try LegacyFixture.patched("torch._utils\n_rebuild_tensor_v2\n", "builtins\neval\n")
        #expect {
            try LegacyTorchFile.decode(builtins, source: "fixture.pt")
        } throws: { matches($0, .forbiddenGlobal(module: "builtins", name: "eval")) }
    }

    @Test("Storage counts that disagree and trailing bytes are errors")
    func storageSection() throws {
        var data = try LegacyFixture.bytes()
        let start = try LegacyFixture.storageSectionStart(data)
        let declared = Int(data[start])
        data[start] += 1
        #expect {
            try LegacyTorchFile.decode(data, source: "fixture.pt")
        } throws: { error in
            guard let error = error as? LegacyTorchFileError,
                case .storageSizeMismatch(_, declared, let found) = error.problem
            else { return false }
            return found == declared + 1 && error.offset == start
        }
        data = try LegacyFixture.bytes()
        data.append(contentsOf: [1, 2, 3])
        #expect {
            try LegacyTorchFile.decode(data, source: "fixture.pt")
        } throws: { matches($0, .trailingBytes(count: 3), at: data.count - 3) }
    }

    @Test("Views reaching outside their storage, or overlapping, are refused naming the tensor")
    func viewBounds() throws {
        let data = try LegacyFixture.bytes()
        // The window's arguments: BINPERSID, BININT1 8 (offset), BININT1 2, BININT1 3, TUPLE2 (size), …
        let window = try #require(data.range(of: Data([0x51, 0x4B, 0x08, 0x4B, 0x02, 0x4B, 0x03, 0x86])))
        var shifted = data
        shifted[window.lowerBound + 2] = 20  // the last element would be 20 + 6 + 2 = 28 of 24
        #expect {
            try LegacyTorchFile.decode(shifted, source: "fixture.pt")
        } throws: { error in
            guard let error = error as? LegacyTorchFileError, case .viewOutOfBounds(24, _) = error.problem else {
                return false
            }
            return error.key == "window" && "\(error)".contains("tensor 'window'")
        }
        var enlarged = data
        enlarged[window.lowerBound + 6] = 200  // 2 × 200 elements from a 24-element storage
        #expect {
            try LegacyTorchFile.decode(enlarged, source: "fixture.pt")
        } throws: { error in
            guard let error = error as? LegacyTorchFileError, case .viewOutOfBounds = error.problem else {
                return false
            }
            return error.key == "window"
        }
    }

    @Test("Deeply nested containers are refused before they could overflow the stack")
    func nesting() throws {
        let header = [UInt8](try LegacyFixture.bytes().prefix(137))  // the magic-number, version and sys_info pickles
        // PROTO 2, EMPTY_TUPLE, 1000 × TUPLE1, STOP: 1000 nested tuples.
        let tuples: [UInt8] = header + [0x80, 0x02, 0x29] + [UInt8](repeating: 0x85, count: 1000) + [0x2E]
        #expect {
            try LegacyTorchFile.decode(Data(tuples), source: "fixture.pt")
        } throws: { error in
            guard let error = error as? LegacyTorchFileError, case .malformed(let detail) = error.problem else {
                return false
            }
            return detail.contains("deeper than 64") && error.offset == 137 + 3 + 63
        }
        // Lists nested top-down (each filled after it was put into its parent), which depths could not follow.
        // PROTO 2, EMPTY_LIST, BINPUT 0, EMPTY_LIST, BINPUT 1, APPEND, BINGET 1, EMPTY_LIST, APPEND, STOP.
        let lists: [UInt8] = header
            + [0x80, 0x02, 0x5D, 0x71, 0x00, 0x5D, 0x71, 0x01, 0x61, 0x68, 0x01, 0x5D, 0x61, 0x2E]
        #expect {
            try LegacyTorchFile.decode(Data(lists), source: "fixture.pt")
        } throws: { error in
            guard let error = error as? LegacyTorchFileError, case .malformed(let detail) = error.problem else {
                return false
            }
            return detail.contains("after being put into another") && error.offset == 137 + 12
        }
    }

    @Test("A missing file is unreadable, naming it")
    func missingFile() {
        let url = URL(fileURLWithPath: "/nonexistent/weights.pt")
        #expect {
            try LegacyTorchFile.read(from: url)
        } throws: { error in
            (error as? LegacyTorchFileError)?.problem == .unreadable(reason: "no such file")
                && "\(error)".hasPrefix("/nonexistent/weights.pt")
        }
    }
}
