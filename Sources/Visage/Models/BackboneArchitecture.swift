import Foundation
import Torch

/// The face-embedding networks Visage builds, by name.
///
/// Names: `mobilefacenet`, `iresnet18`, `iresnet34`, `iresnet50`, `mobilenetv2-t6`, `mobilenetv2-t10`,
/// `mobilenetv2-t16`, `bridge-student`, `mobilefacenet-ms1m`. Every network maps `[N, 3, H, W]` normalized images (contiguous or
/// channels-last) to `[N, embeddingSize]` embeddings, not L2-normalized.
public enum BackboneArchitecture: Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// ``MobileFaceNet`` (arcface_torch's `mbf`), 112×112 inputs.
    case mobileFaceNet
    /// ``IResNet`` of depth 18, 34 or 50, 112×112 inputs.
    case iresnet(depth: Int)
    /// ``MobileNetV2`` with bottleneck expansion T = 6, 10 or 16 (R³AN's prior models), any input size.
    case mobileNetV2(expansion: Int)
    /// ``BridgeStudent``, the bridge-distillation student, inputs from 16×16 to 112×112.
    case bridgeStudent
    /// ``MobileFaceNetMS1M``, the pretrained 128-D MobileFaceNet's architecture (foamliu/MobileFaceNet),
    /// 112×112 inputs.
    case mobileFaceNetMS1M

    /// Every architecture with a name, in the order help texts list them.
    public static let all: [BackboneArchitecture] = [
        .mobileFaceNet, .iresnet(depth: 18), .iresnet(depth: 34), .iresnet(depth: 50),
        .mobileNetV2(expansion: 6), .mobileNetV2(expansion: 10), .mobileNetV2(expansion: 16), .bridgeStudent,
        .mobileFaceNetMS1M,
    ]

    /// Every architecture, as ``all`` lists them.
    public static var allCases: [BackboneArchitecture] { all }

    /// Every valid name.
    public static var names: [String] { all.map(\.description) }

    /// A name that is not one of ``names``.
    public struct UnknownName: Error, CustomStringConvertible {
        /// The name given.
        public var name: String
        /// The message, listing the valid names.
        public var description: String {
            "unknown backbone '\(name)'; valid names: \(BackboneArchitecture.names.joined(separator: ", "))"
        }
    }

    /// The architecture called `name` (case-insensitive, surrounding spaces ignored).
    public init(parsing name: String) throws {
        let key = name.trimmingCharacters(in: .whitespaces).lowercased()
        guard let match = Self.all.first(where: { $0.description == key }) else { throw UnknownName(name: name) }
        self = match
    }

    /// The architecture's name, as ``init(parsing:)`` reads it.
    public var description: String {
        switch self {
        case .mobileFaceNet: "mobilefacenet"
        case .iresnet(let depth): "iresnet\(depth)"
        case .mobileNetV2(let expansion): "mobilenetv2-t\(expansion)"
        case .bridgeStudent: "bridge-student"
        case .mobileFaceNetMS1M: "mobilefacenet-ms1m"
        }
    }

    /// Input side the architecture was designed for, the default of a run: 112, or 16 for the student.
    public var nativeInputSize: Int {
        self == .bridgeStudent ? 16 : 112
    }

    /// Input sides the network accepts: exactly 112 for the networks that flatten a 7×7 map (MobileFaceNet and
    /// IResNet), 16…1024 for those that pool globally (MobileNetV2 and the student).
    public var inputSizes: ClosedRange<Int> {
        switch self {
        case .mobileFaceNet, .iresnet, .mobileFaceNetMS1M: 112...112
        case .mobileNetV2, .bridgeStudent: 16...1024
        }
    }

    /// Throws unless the network accepts `size`×`size` inputs (``inputSizes``), naming the architecture.
    public func checkInputSize(_ size: Int) throws {
        guard inputSizes.contains(size) else {
            let accepted = inputSizes.count == 1 ? "needs \(inputSizes.lowerBound)×\(inputSizes.lowerBound) input"
                : "takes input sides \(inputSizes.lowerBound)…\(inputSizes.upperBound)"
            throw DataError.invalidArgument("\(self) \(accepted), got \(size)")
        }
    }

    /// Embedding size of the architecture's paper, the default of a run: 128 for the student and the MS1M
    /// MobileFaceNet (its pretrained weights), 512 for the others.
    public var defaultEmbeddingSize: Int {
        self == .bridgeStudent || self == .mobileFaceNetMS1M ? 128 : 512
    }

    /// Whether to run inference with channels-last weights and inputs. From `visage bench backbones` on the
    /// 2-core development machine (noisy, shared): channels-last was 1.2–1.6× faster for the student, up to
    /// 2× for MobileNetV2-T10/T16 and MobileFaceNet at batch 64 but mixed at small batches, and 0.75× or
    /// worse for IResNet, whose dense 3×3 convolutions run faster contiguous. The MS1M MobileFaceNet: 1.2× at
    /// batch 1 and 1.5× at batch 64 with batch norm folded (125 vs 105 and 227 vs 150 faces/s, 2 threads).
    public var prefersChannelsLast: Bool {
        if case .iresnet = self { false } else { true }
    }

    /// Prepares `model`, a network of this architecture with its weights loaded, for fast inference in place:
    /// evaluation mode, batch normalization folded (``fusedForInference(_:)``) and, where
    /// ``prefersChannelsLast``, weights stored channels-last (feed it `input.contiguous(.channelsLast)`).
    @discardableResult
    public func preparedForInference(_ model: Module) -> Module {
        fusedForInference(model)
        if prefersChannelsLast { convertToChannelsLast(model) }
        return model
    }

    /// `images` (N×3×S×S) in the memory format a network ``preparedForInference(_:)`` expects: channels-last
    /// where the architecture ``prefersChannelsLast``, otherwise as they are.
    public func inferenceInput(_ images: Tensor) -> Tensor {
        prefersChannelsLast ? images.contiguous(.channelsLast) : images
    }

    /// The network with `embeddingSize`-dimensional outputs, freshly initialized, in training mode.
    public func make(embeddingSize: Int = 512) -> Module {
        switch self {
        case .mobileFaceNet: MobileFaceNet(embeddingSize: embeddingSize)
        case .iresnet(let depth): IResNet(depth: depth, embeddingSize: embeddingSize)
        case .mobileNetV2(let expansion): MobileNetV2(expansion: expansion, embeddingSize: embeddingSize)
        case .bridgeStudent: BridgeStudent(embeddingSize: embeddingSize)
        case .mobileFaceNetMS1M: MobileFaceNetMS1M(embeddingSize: embeddingSize)
        }
    }
}
