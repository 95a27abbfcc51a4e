import Foundation
import Testing

@testable import Torch

/// Runs scripts/check_safetensors_interop.py with Debian's python3-torch.
private enum PythonTorch {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let script = repositoryRoot.appendingPathComponent("scripts/check_safetensors_interop.py")
    static let python = "/usr/bin/python3"

    /// Whether python3 with torch is installed (the tests are skipped otherwise).
    static let isAvailable: Bool = {
        guard FileManager.default.isExecutableFile(atPath: python) else { return false }
        return (try? run(["-c", "import torch"]).status) == 0
    }()

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}

/// The architectures the script builds in PyTorch, with the same state-dict keys.
private enum InteropModels {
    static let names = ["convnet", "upsampler", "attention"]

    static func build(_ name: String) -> Module {
        switch name {
        case "convnet":
            Sequential(Conv2d(1, 4, kernelSize: 3, padding: 1), BatchNorm2d(4), PReLU(4), Flatten(), Linear(64, 3))
        case "upsampler":
            Sequential(
                ConvTranspose2d(2, 4, kernelSize: 3, stride: 2, padding: 1, outputPadding: 1),
                GroupNorm(groups: 2, channels: 4), ReLU(), Flatten(), LayerNorm(256))
        default:
            MultiheadAttention(embedDim: 8, heads: 2)
        }
    }

    static func run(_ name: String, _ model: Module, _ io: [String: Tensor]) -> Tensor {
        if let attention = model as? MultiheadAttention, let query = io["query"], let key = io["key"],
            let value = io["value"]
        {
            return attention(query: query, key: key, value: value)
        }
        return model(io["input"]!)
    }

    static func inputs(_ name: String) -> [String: Tensor] {
        switch name {
        case "convnet": ["input": Tensor.randn([2, 1, 4, 4])]
        case "upsampler": ["input": Tensor.randn([2, 2, 4, 4])]
        default: ["query": Tensor.randn([2, 5, 8]), "key": Tensor.randn([2, 3, 8]), "value": Tensor.randn([2, 3, 8])]
        }
    }

    /// The fixed tensors of dtypes.safetensors (the script's `expected_dtypes`).
    static func dtypes() throws -> [String: Tensor] {
        [
            "f64": (Tensor.arange(0, 6, dtype: .float64) * 0.5).reshaped([2, 3]),
            "f32": (Tensor.arange(0, 6) * 0.5).reshaped([3, 2]),
            "f16": Tensor([0.5, -1.25, 2.0] as [Float]).to(.float16),
            "i64": Tensor([-3, 0, 1 << 40] as [Int64]),
            "i32": Tensor([-7, 7] as [Int32]),
            "i16": Tensor([-300, 300] as [Int16]),
            "i8": Tensor([-128, 127] as [Int8]),
            "u8": Tensor([0, 255] as [UInt8]),
            "bool": Tensor([true, false, true]),
            "scalar": Tensor(scalar: Float(3.5)),
            "empty": Tensor.zeros([0, 4]),
        ]
    }

    static let note = "quote \" backslash \\ newline \n unicode é"
}

@Suite(.enabled(if: PythonTorch.isAvailable, "needs /usr/bin/python3 with torch"))
struct PythonInteropTests {
    @Test func pyTorchFilesLoadStrictlyAndReproducePyTorchOutputs() throws {
        try withTemporaryFolder { folder in
            let result = try PythonTorch.run([PythonTorch.script.path, "write", folder.path])
            try #require(result.status == 0, "\(result.output)")
            for name in InteropModels.names {
                let model = InteropModels.build(name)
                let report = try model.load(from: folder.appendingPathComponent("\(name).safetensors"))
                #expect(report.metadata == ["format": "pt"])
                model.eval()
                let io = try SafeTensors.read(from: folder.appendingPathComponent("\(name)-io.safetensors")).tensors
                let output = InteropModels.run(name, model, io)
                let expected = try #require(io["output"])
                #expect(output.shape == expected.shape, "\(name)")
                #expect(isClose(output.array(of: Float.self), expected.array(of: Float.self), tolerance: 2e-5),
                        "\(name): Swift output differs from PyTorch's")
            }
            let dtypes = try SafeTensors.read(from: folder.appendingPathComponent("dtypes.safetensors"))
            #expect(dtypes.metadata == ["producer": "python", "note": InteropModels.note])
            let expected = try InteropModels.dtypes()
            #expect(Set(dtypes.tensors.keys) == Set(expected.keys))
            for (key, tensor) in expected {
                let loaded = try #require(dtypes.tensors[key], "\(key)")
                #expect(loaded.dtype == tensor.dtype && loaded.shape == tensor.shape, "\(key)")
                #expect(loaded.array(of: Double.self) == tensor.array(of: Double.self), "\(key)")
            }
        }
    }

    @Test func swiftFilesLoadStrictlyInPyTorchAndReproduceSwiftOutputs() throws {
        try withTemporaryFolder { folder in
            for name in InteropModels.names {
                let model = InteropModels.build(name)
                withoutGrad {
                    for parameter in model.parameters() { Initializers.uniform(parameter, low: -1, high: 1) }
                }
                if name == "convnet" {
                    for _ in 0..<3 { _ = model(Tensor.randn([8, 1, 4, 4]) * 2 + 0.5) }
                }
                model.eval()
                var io = InteropModels.inputs(name)
                io["output"] = InteropModels.run(name, model, io)
                try model.save(to: folder.appendingPathComponent("\(name).safetensors"))
                try SafeTensors.write(io, to: folder.appendingPathComponent("\(name)-io.safetensors"))
            }
            try SafeTensors.write(
                InteropModels.dtypes(), metadata: ["producer": "swift", "note": InteropModels.note],
                to: folder.appendingPathComponent("dtypes.safetensors"))
            let result = try PythonTorch.run([PythonTorch.script.path, "check", folder.path])
            #expect(result.status == 0, "\(result.output)")
        }
    }
}
