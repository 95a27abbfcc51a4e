import ArgumentParser
import Foundation
import Visage
import VisageGallery

/// `visage gallery create`: an empty gallery for one engine.
struct GalleryCreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create an empty gallery for an engine.",
        discussion: """
            With --precision bf16 or int8 the engine runs at that precision for every enroll, verify, identify and \
            serve of the gallery: the calibration found on --calibration's faces is stored in the gallery, and the \
            templates' stamp carries the precision. A migration moves the gallery to the new engine at its own \
            --precision (fp32 unless given).
            """)

    @OptionGroup var file: GalleryFileOption

    @Option(help: "Engine name (`visage engines`) or model file whose templates the gallery stores.")
    var engine = EngineCatalogue.dlibResNet.name

    @Flag(help: "Keep each enrolled photo's bytes in the gallery, so that a migration can re-extract its faces.")
    var keepPhotos = false

    @OptionGroup var precision: PrecisionOptions

    func run() throws {
        let model = try precision.apply(to: FaceModel.load(engine), faces: nil)
        let store = try GalleryStore.create(at: file.location, engine: engine, engineStamp: model.identifier,
                                            keepPhotos: keepPhotos,
                                            precision: model.precisionCalibration)
        print("created \(store.location) for \(model.identifier)\(keepPhotos ? ", keeping photos" : "")")
    }
}
