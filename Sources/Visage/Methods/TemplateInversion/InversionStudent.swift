import Foundation
import Torch

/// The differentiable student F^S of blackbox distillation (Eq. 14): a small convolutional network that learns to
/// reproduce an engine's templates from faces, and exposes its intermediate activations for Eq. 15's
/// intermediate-layer term.
///
/// Four stride-2 stages (3×3 convolution, batch norm, leaky ReLU; 32, 64, 128, 256 channels) halve the face four
/// times (64 → 4), then global average pooling and a linear layer give the template. It accepts any side that
/// is a multiple of 16. Chosen over the bridge student (whose forward pass hides its intermediate maps) and a
/// MobileFaceNet (about 5× slower per step on this machine's CPU at 64×64) for training speed.
public final class InversionStudent: Module {
    /// Channels of the four stages.
    public static let widths = [32, 64, 128, 256]
    public let convs: [Conv2d]
    public let norms: [BatchNorm2d]
    public let embedding: Linear
    /// The template length.
    public let templateDimension: Int

    /// A student producing `templateDimension`-long templates.
    public init(templateDimension: Int) {
        var inChannels = 3
        var convs: [Conv2d] = [], norms: [BatchNorm2d] = []
        for width in Self.widths {
            convs.append(Conv2d(inChannels, width, kernelSize: 3, stride: 2, padding: 1, bias: false))
            norms.append(BatchNorm2d(width))
            inChannels = width
        }
        self.convs = convs
        self.norms = norms
        embedding = Linear(inChannels, templateDimension)
        self.templateDimension = templateDimension
        super.init()
    }

    /// `[N, 3, S, S]` faces (pixel/127.5 − 1) → the template `[N, D]` and the four stages' activations.
    public func features(_ faces: Tensor) -> (template: Tensor, intermediates: [Tensor]) {
        var h = faces
        var intermediates: [Tensor] = []
        for (conv, norm) in zip(convs, norms) {
            h = Functional.leakyRelu(norm(conv(h)), negativeSlope: 0.2)
            intermediates.append(h)
        }
        return (embedding(h.mean([2, 3])), intermediates)
    }

    /// The template only.
    public override func forward(_ faces: Tensor) -> Tensor { features(faces).template }
}

extension InversionStudent {
    /// Writes the student atomically with what it was distilled from: the engine stamp and the face side.
    public func save(to url: URL, engine: String, faceSize: Int) throws {
        try save(to: url, metadata: ["engine": engine, "template_dimension": "\(templateDimension)",
                                     "face_size": "\(faceSize)"])
    }

    /// A student written by ``save(to:engine:faceSize:)``, in evaluation mode, with its engine and face side.
    /// - Throws: ``DataFileError`` naming the file when its metadata is missing; safetensors and state-dict
    ///   errors for a file that is not such a student.
    public static func load(from url: URL) throws -> (student: InversionStudent, engine: String, faceSize: Int) {
        let contents = try SafeTensors.read(from: url)
        guard let engine = contents.metadata["engine"],
              let dimension = contents.metadata["template_dimension"].flatMap(Int.init), dimension > 0,
              let size = contents.metadata["face_size"].flatMap(Int.init), size > 0 else {
            throw DataFileError(url, "not a distilled student: its metadata must give engine, template_dimension and "
                + "face_size (written by visage audit distill)")
        }
        let student = InversionStudent(templateDimension: dimension)
        try student.loadStateDict(contents.tensors, origin: url.path)
        student.eval()
        return (student, engine, size)
    }
}
