import ArgumentParser
import Foundation
import Visage

extension InferencePrecision: ExpressibleByArgument {}

/// `--precision` and its calibration, for the commands that run a model (embed, eval, distill eval, gallery create).
struct PrecisionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Arithmetic of the model's inference: fp32, bf16 (fast with AVX-512 BF16) or int8 (calibrated "
        + "8-bit); the precision is added to the templates' stamp.", valueName: "precision"))
    var precision: InferencePrecision = .fp32

    @Option(help: ArgumentHelp("Aligned ImageFolder whose faces calibrate int8 and check bf16/int8 against fp32; default: the "
        + "faces being embedded (required by gallery create).", valueName: "folder"))
    var calibration: String?

    @Option(help: "Faces used from the calibration set (the first in sorted order).")
    var calibrationFaces = 256

    @Option(help: ArgumentHelp("Refuse the precision when its templates of the calibration faces have a mean cosine to the fp32 "
        + "ones below this.", valueName: "cosine"))
    var precisionTolerance = FaceModel.defaultPrecisionTolerance

    func validate() throws {
        guard calibrationFaces > 0 else { throw ValidationError("--calibration-faces must be positive, got \(calibrationFaces)") }
        guard (0...1).contains(precisionTolerance) else {
            throw ValidationError("--precision-tolerance must be a cosine in 0…1, got \(precisionTolerance)")
        }
    }

    /// `model` at the chosen precision, calibrated on --calibration (its aligned faces made ready by `prepare`, by
    /// default the model's own cut) or else on `faces` (ready for the model); says on standard error how close it
    /// stayed to fp32.
    func apply(to model: FaceModel, faces: (any FaceSource)?,
               prepare: ((any FaceSource) throws -> any FaceSource)? = nil) throws -> FaceModel {
        guard precision != .fp32 else { return model }
        guard let source = try calibration.map({ folder -> any FaceSource in
            let aligned = try ImageFolder(root: URL(fileURLWithPath: folder))
            return try prepare?(aligned) ?? model.faces(fromAligned: aligned)
        }) ?? faces else {
            throw ValidationError("--precision \(precision) needs --calibration, a folder of aligned faces")
        }
        let lowered = try model.atPrecision(precision, calibration: source, count: calibrationFaces,
                                            tolerance: precisionTolerance)
        if let network = lowered.backbone as? PrecisionNetwork {
            FileHandle.standardError.write(Data(String(
                format: "%@: mean cosine %.4f to fp32 on %d calibration faces (tolerance %.4f)\n",
                precision.rawValue, network.calibrationCosine, network.calibrationFaces, precisionTolerance).utf8))
        }
        return lowered
    }
}
