import ArgumentParser
import Foundation
import Visage
import VisageGallery

/// `visage gallery migrate`: the gallery's templates moved to another engine.
struct GalleryMigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Move the gallery to another engine: re-extract faces from their photos, or transform templates.",
        discussion: """
            With --method auto (the default) a face is re-extracted by the new engine when its photo can be read \
            (kept in the gallery, or still at its path with the same SHA-256), and its template is mapped by \
            --transformer (from `visage cross-model train`, checked to map the gallery's engine to the new one) \
            otherwise; reextract refuses when a photo is missing, transform reads no photo. The new templates are \
            stored beside the old ones in one transaction, transformed ones marked with the transformer's file \
            and its measured top-1 accuracy (--transformer-top1) when given, and the new engine becomes the \
            gallery's. With --precision bf16 or int8 the new engine runs at that precision from then on (its \
            calibration, from --calibration's faces, is stored in the gallery); the same engine at another \
            precision is a migration too, which re-extracts every face. A transformer maps to one precision's \
            templates: the new engine's stamp, precision included, must be its target.
            """)

    @OptionGroup var file: GalleryFileOption

    @Option(help: "The new engine: a name (`visage engines`) or a model file.")
    var to: String

    @Option(help: "auto, reextract or transform.")
    var method: String = EngineMigration.Method.auto.rawValue

    @Option(help: "Cross-model transformer from the gallery's engine to the new one.")
    var transformer: String?

    @Option(help: "The transformer's measured top-1 identification accuracy (a fraction), recorded with its templates.")
    var transformerTop1: Double?

    @OptionGroup var precision: PrecisionOptions

    func validate() throws {
        guard let method = EngineMigration.Method(rawValue: method) else {
            throw ValidationError("--method must be one of \(EngineMigration.Method.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if method == .transform, transformer == nil { throw ValidationError("--method transform needs --transformer") }
        if let top1 = transformerTop1, !(0...1).contains(top1) {
            throw ValidationError("--transformer-top1 must be a fraction in 0…1, got \(top1)")
        }
    }

    func run() throws {
        let store = try file.open()
        let model = try precision.apply(to: FaceModel.load(to), faces: nil)
        let transformer = try self.transformer.map { path in
            let url = URL(fileURLWithPath: path)
            return EngineMigration.Transformer(transformer: try FeatureTransformer.load(from: url), url: url,
                                               top1: transformerTop1)
        }
        let migration = EngineMigration(
            store: store, pipeline: try FacePipeline(model: model, finder: nil), reference: to,
            method: EngineMigration.Method(rawValue: method)!, transformer: transformer)
        let report = try migration.run()
        print(String(format: "migrated %@ → %@: %d faces re-extracted, %d transformed, in %.1f s", report.from, report.to,
                     report.reextracted, report.transformed, report.seconds))
    }
}
