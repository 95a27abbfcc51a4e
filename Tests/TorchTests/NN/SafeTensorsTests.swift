import Foundation
import Testing

@testable import Torch

/// Safetensors bytes built by hand: the little-endian header length (or `declaredLength`), `header`, `data`.
private func fileBytes(header: String, data: [UInt8] = [], declaredLength: UInt64? = nil) -> Data {
    let headerBytes = Array(header.utf8)
    var result = Data()
    var length = (declaredLength ?? UInt64(headerBytes.count)).littleEndian
    withUnsafeBytes(of: &length) { result.append(contentsOf: $0) }
    result.append(contentsOf: headerBytes)
    result.append(contentsOf: data)
    return result
}

private func floatBytes(_ values: [Float]) -> [UInt8] {
    values.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } }
}

@Suite struct SafeTensorsFormatTests {
    @Test func readsAHandBuiltFile() throws {
        // Header padded with spaces, metadata, two dtypes, a 0-D tensor; offsets relative to the data section.
        let header = #"{"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"#
            + #""n":{"dtype":"I64","shape":[],"data_offsets":[16,24]},"m":{"dtype":"BOOL","shape":[3],"data_offsets":[24,27]}}   "#
        var data = floatBytes([1, -2, 3.5, 0.25])
        data += withUnsafeBytes(of: Int64(-7).littleEndian) { Array($0) }
        data += [1, 0, 1]
        let contents = try SafeTensors.decode(fileBytes(header: header, data: data), source: "hand.safetensors")
        #expect(contents.metadata == ["format": "pt"])
        #expect(Set(contents.tensors.keys) == ["w", "n", "m"])
        #expect(contents.tensors["w"]?.shape == [2, 2])
        #expect(contents.tensors["w"]?.array(of: Float.self) == [1, -2, 3.5, 0.25])
        #expect(contents.tensors["n"]?.shape == [])
        #expect(contents.tensors["n"]?.array(of: Int64.self) == [-7])
        #expect(contents.tensors["m"]?.array(of: Bool.self) == [true, false, true])
    }

    @Test func writesTheExactLayout() throws {
        let tensors: [String: Tensor] = [
            "b": Tensor([true, false, true]),
            "a": try Tensor([1, 2] as [Float], shape: [1, 2]),
            "c": Tensor([Int64(9)]),
        ]
        let data = try SafeTensors.encode(tensors, metadata: ["k": "v"])
        let length = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * $1.offset) }
        #expect((8 + length) % 8 == 0)
        let header = try #require(String(data: data.subdata(in: 8..<(8 + Int(length))), encoding: .utf8))
        // Largest elements first, then by key, so every tensor is aligned to its element size.
        #expect(header.trimmingCharacters(in: .whitespaces) == #"{"__metadata__":{"k":"v"},"#
            + #""c":{"dtype":"I64","shape":[1],"data_offsets":[0,8]},"#
            + #""a":{"dtype":"F32","shape":[1,2],"data_offsets":[8,16]},"#
            + #""b":{"dtype":"BOOL","shape":[3],"data_offsets":[16,19]}}"#)
        #expect(data.count == 8 + Int(length) + 19)
        #expect(Array(data.suffix(11)) == floatBytes([1, 2]) + [1, 0, 1])
    }

    @Test(arguments: DType.allCases)
    func everyDTypeRoundTrips(dtype: DType) throws {
        let source = Tensor.arange(-3, 3, dtype: .float64).reshaped([2, 3]).to(dtype)
        let data = try SafeTensors.encode(["t": source, "empty": Tensor.zeros([0, 2], dtype: dtype)])
        let contents = try SafeTensors.decode(data)
        let loaded = try #require(contents.tensors["t"])
        #expect(loaded.dtype == dtype)
        #expect(loaded.shape == [2, 3])
        #expect(loaded.array(of: Double.self) == source.array(of: Double.self))
        #expect(contents.tensors["empty"]?.shape == [0, 2])
    }

    @Test func metadataStringsAreEscaped() throws {
        let metadata = ["note": "quote \" backslash \\ newline \n tab \t bell \u{7} é"]
        let contents = try SafeTensors.decode(SafeTensors.encode([:], metadata: metadata))
        #expect(contents.metadata == metadata)
        #expect(contents.tensors.isEmpty)
    }

    @Test func writingAnUndefinedOrReservedTensorThrows() throws {
        let undefined = try #require(throws: SafeTensorsError.self) {
            try SafeTensors.encode(["bad": Tensor.undefined])
        }
        #expect(undefined.key == "bad" && undefined.problem == .undefinedTensor)
        let reserved = try #require(throws: SafeTensorsError.self) {
            try SafeTensors.encode(["__metadata__": Tensor.zeros([1])])
        }
        #expect(reserved.problem == .reservedKey)
    }
}

@Suite struct MalformedSafeTensorsTests {
    private let entry = #"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#

    private func problem(_ data: Data) throws -> SafeTensorsError {
        try #require(throws: SafeTensorsError.self) { try SafeTensors.decode(data, source: "bad.safetensors") }
    }

    @Test func truncatedFiles() throws {
        #expect(try problem(Data([1, 2, 3])).problem == .missingHeaderLength(fileSize: 3))
        let whole = fileBytes(header: entry, data: floatBytes([1, 2]))
        // Cut inside the header.
        let insideHeader = try problem(whole.prefix(20))
        #expect(insideHeader.problem == .headerBeyondFile(declared: UInt64(entry.utf8.count), available: 12))
        // Cut inside the data.
        let insideData = try problem(whole.prefix(whole.count - 3))
        #expect(insideData.key == "x")
        #expect(insideData.problem == .offsetsOutOfBounds(begin: 0, end: 8, dataSize: 5))
        #expect(insideData.description.hasPrefix("bad.safetensors: tensor 'x': "))
    }

    @Test func headerLengthBeyondFileOrLimit() throws {
        let data = fileBytes(header: entry, data: floatBytes([1, 2]), declaredLength: 1_000)
        #expect(try problem(data).problem == .headerBeyondFile(declared: 1_000, available: entry.utf8.count + 8))
        let huge = fileBytes(header: entry, declaredLength: UInt64.max)
        #expect(try problem(huge).problem == .headerTooLarge(declared: UInt64.max))
    }

    @Test func badJSON() throws {
        for header in [#"{"x": {"dtype": "F32",}"#, "{\u{FF}}", #"["x"]"#, #"{"x":1} trailing"#] {
            let error = try problem(fileBytes(header: header))
            guard case .invalidHeader = error.problem else {
                Issue.record("\(header): \(error)")
                continue
            }
            #expect(error.file == "bad.safetensors")
        }
        let metadata = try problem(fileBytes(header: #"{"__metadata__":{"epoch":3}}"#))
        #expect(metadata.description.contains("__metadata__"))
    }

    @Test func malformedEntries() throws {
        let cases: [(String, String)] = [
            (#"{"x":[1]}"#, "expected an object"),
            (#"{"x":{"shape":[2],"data_offsets":[0,8]}}"#, "missing \"dtype\""),
            (#"{"x":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, "non-negative integers"),
            (#"{"x":{"dtype":"F32","shape":[true],"data_offsets":[0,8]}}"#, "non-negative integers"),
            (#"{"x":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}"#, "data_offsets"),
            (#"{"x":{"dtype":"F32","shape":[2]}}"#, "missing \"data_offsets\""),
        ]
        for (header, fragment) in cases {
            let error = try problem(fileBytes(header: header, data: floatBytes([1, 2])))
            #expect(error.key == "x", "\(header)")
            #expect(error.description.contains(fragment), "\(header): \(error)")
        }
    }

    @Test func unknownAndUnsupportedDTypes() throws {
        let unknown = try problem(fileBytes(header: #"{"x":{"dtype":"F33","shape":[2],"data_offsets":[0,8]}}"#,
                                            data: floatBytes([1, 2])))
        #expect(unknown.key == "x" && unknown.problem == .unknownDType("F33"))
        let u16 = try problem(fileBytes(header: #"{"x":{"dtype":"U16","shape":[4],"data_offsets":[0,8]}}"#,
                                         data: floatBytes([1, 2])))
        #expect(u16.problem == .unsupportedDType("U16"))
    }

    @Test func offsetsOutOfRangeOverlappingOrLeavingGaps() throws {
        let data = floatBytes([1, 2, 3, 4])
        let outOfRange = try problem(fileBytes(
            header: #"{"x":{"dtype":"F32","shape":[2],"data_offsets":[12,20]}}"#, data: data))
        #expect(outOfRange.problem == .offsetsOutOfBounds(begin: 12, end: 20, dataSize: 16))

        let overlapping = try problem(fileBytes(
            header: #"{"x":{"dtype":"F32","shape":[3],"data_offsets":[0,12]},"#
                + #""y":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}"#, data: data))
        #expect(overlapping.key == "y" && overlapping.problem == .overlaps(otherKey: "x"))

        let gap = try problem(fileBytes(
            header: #"{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"#
                + #""y":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}"#, data: data))
        #expect(gap.key == "y" && gap.problem == .unclaimedBytes(begin: 4, end: 8))

        let trailing = try problem(fileBytes(header: entry, data: data))
        #expect(trailing.problem == .trailingBytes(count: 8))

        let wrongCount = try problem(fileBytes(
            header: #"{"x":{"dtype":"F32","shape":[3],"data_offsets":[0,16]}}"#, data: data))
        #expect(wrongCount.problem == .byteCountMismatch(shape: [3], dtype: "F32", expected: 12, actual: 16))
    }

    @Test func invalidBoolBytes() throws {
        let error = try problem(fileBytes(
            header: #"{"m":{"dtype":"BOOL","shape":[2],"data_offsets":[0,2]}}"#, data: [1, 7]))
        #expect(error.key == "m" && error.problem == .invalidBool(byte: 7))
    }

    @Test func unreadableFilesNameThePath() throws {
        try withTemporaryFolder { folder in
            let missing = folder.appendingPathComponent("absent.safetensors")
            let error = try #require(throws: SafeTensorsError.self) { try SafeTensors.read(from: missing) }
            #expect(error.file == missing.path)
            #expect(error.problem == .unreadable(reason: "no such file"))
            let folderError = try #require(throws: SafeTensorsError.self) { try SafeTensors.read(from: folder) }
            #expect(folderError.problem == .unreadable(reason: "it is a folder"))
        }
    }

    @Test func aMalformedFileFailsModuleLoadingWithoutChangingIt() throws {
        try withTemporaryFolder { folder in
            let url = folder.appendingPathComponent("model.safetensors")
            let whole = try SafeTensors.encode(Linear(2, 2).stateDict())
            try whole.prefix(whole.count - 4).write(to: url)
            let layer = Linear(2, 2)
            let before = layer.weight.array(of: Float.self)
            #expect(throws: SafeTensorsError.self) { try layer.load(from: url) }
            #expect(layer.weight.array(of: Float.self) == before)
        }
    }
}

@Suite struct AtomicFileTests {
    @Test func replacesTheDestinationAndLeavesNoTemporaryFiles() throws {
        try withTemporaryFolder { folder in
            let url = folder.appendingPathComponent("out.bin")
            try AtomicFile.write(Data([1, 2, 3]), to: url)
            try AtomicFile.write(Data([4, 5]), to: url)
            #expect(try Data(contentsOf: url) == Data([4, 5]))
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out.bin"])
        }
    }

    @Test func aFailedWriteLeavesTheOldFileIntact() throws {
        struct Interrupted: Error {}
        try withTemporaryFolder { folder in
            let url = folder.appendingPathComponent("weights.safetensors")
            try Linear(2, 2).save(to: url)
            let before = try Data(contentsOf: url)
            #expect(throws: Interrupted.self) {
                try AtomicFile.write(to: url) { writer in
                    try writer.write(Data(repeating: 0, count: 100))
                    throw Interrupted()
                }
            }
            #expect(try Data(contentsOf: url) == before)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["weights.safetensors"])
        }
    }

    @Test func aMissingFolderIsReportedWithThePath() throws {
        try withTemporaryFolder { folder in
            let url = folder.appendingPathComponent("no/such/folder/w.safetensors")
            let error = try #require(throws: SafeTensorsError.self) { try Linear(1, 1).save(to: url) }
            #expect(error.file == url.path)
            #expect(error.description.contains("No such file or directory"))
        }
    }
}
