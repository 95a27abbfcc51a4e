import ArgumentParser
import Foundation
import Visage
import VisageGallery

/// `visage gallery create`: an empty gallery for one engine.
struct GalleryCreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create an empty gallery for an engine.")

    @OptionGroup var file: GalleryFileOption

    @Option(help: "Engine name (`visage engines`) or model file whose templates the gallery stores.")
    var engine = EngineCatalogue.dlibResNet.name

    @Flag(help: "Keep each enrolled photo's bytes in the gallery, so that a migration can re-extract its faces.")
    var keepPhotos = false

    func run() throws {
        let model = try FaceModel.load(engine)
        let store = try GalleryStore.create(at: file.location, engine: engine, engineStamp: model.identifier, keepPhotos: keepPhotos)
        print("created \(store.location) for \(model.identifier)\(keepPhotos ? ", keeping photos" : "")")
    }
}
