import Foundation
import SyntheticFaces
import Testing
import Torch
import Visage
@testable import VisageGallery

/// A gallery whose engine runs below fp32 keeps its calibration, so every later use runs the same lowered network.
@Suite("Gallery precision", .serialized)
struct GalleryPrecisionTests {
    /// Twelve synthetic aligned faces that calibrate int8.
    static func calibrationFaces() throws -> SyntheticFaceSource {
        try SyntheticFaceSource(dataset: SyntheticDataset(identities: 6, imagesPerIdentity: 2, seed: 3))
    }

    /// A fresh 16×16 bridge student saved in `folder`, loaded back, and the same model at int8.
    static func student(in folder: URL) throws -> (file: URL, model: FaceModel, int8: FaceModel) {
        Runtime.seed(4)
        let file = folder.appendingPathComponent("student.safetensors")
        try FaceModel(architecture: .bridgeStudent, embeddingSize: 128, inputSize: 16).save(to: file)
        let model = try FaceModel.load(file.path)
        let lowered = try model.atPrecision(.int8, calibration: model.faces(fromAligned: calibrationFaces()), count: 12,
                                            tolerance: 0.9)
        return (file, model, lowered)
    }

    @Test("An int8 gallery reloads its engine at int8 with the stored calibration; a migration returns it to fp32",
          arguments: GalleryBackend.available)
    func int8Engine(backend: GalleryBackend) throws {
        let folder = try GalleryFixtures.temporaryFolder()
        defer { GalleryFixtures.remove(folder) }
        let (file, model, lowered) = try Self.student(in: folder)
        let faces = try Self.calibrationFaces()
        let calibration = try #require((lowered.backbone as? PrecisionNetwork)?.calibration)
        #expect(lowered.identifier == model.identifier + "+int8")

        let store = try GalleryStore.create(at: GalleryFixtures.location(in: folder, backend), engine: file.path,
                                            engineStamp: lowered.identifier, keepPhotos: false, precision: calibration)
        let reopened = try GalleryStore.open(store.location)
        #expect(try reopened.enginePrecision() == calibration)
        let reloaded = try reopened.loadModel()
        #expect(reloaded.identifier == lowered.identifier)
        let expected = try lowered.embedder().embed(model.faces(fromAligned: faces), showProgress: false)
        let again = try reloaded.embedder().embed(reloaded.faces(fromAligned: faces), showProgress: false)
        #expect(again.values == expected.values)

        // A lowered catalogue engine without a calibrated threshold falls back to the engine's fp32 one, saying so.
        let dlib = EngineCatalogue.dlibResNet.stamp
        let threshold = try reopened.effectiveThreshold(for: dlib + "+int8")
        #expect(threshold.value == EngineCatalogue.dlibResNet.threshold && threshold.origin.contains("in fp32"))

        try reopened.storeMigrated([], engine: model.identifier, reference: file.path, summary: "to fp32")
        #expect(try reopened.enginePrecision() == nil)
        #expect(try reopened.loadModel().backbone is BridgeStudent)
    }

    @Test("A migration to an engine at int8 (here the same engine) re-extracts at int8 and stores the calibration",
          arguments: GalleryBackend.available)
    func migrationToInt8(backend: GalleryBackend) throws {
        let folder = try GalleryFixtures.temporaryFolder()
        defer { GalleryFixtures.remove(folder) }
        let (file, model, lowered) = try Self.student(in: folder)
        let urls = try GalleryFixtures.writePhotos(4, in: folder.appendingPathComponent("photos"))
        let store = try GalleryStore.create(at: GalleryFixtures.location(in: folder, backend), engine: file.path,
                                            engineStamp: model.identifier, keepPhotos: true)
        _ = try GalleryFixtures.enroller(store, pipeline: FacePipeline(model: model, finder: nil))
            .enroll(PhotoList(urls.map(\.path)), person: GalleryFixtures.folderName, showProgress: false)

        let pipeline = try FacePipeline(model: lowered, finder: nil)
        let report = try EngineMigration(store: store, pipeline: pipeline, reference: file.path, method: .reextract,
                                         transformer: nil).run(showProgress: false)
        #expect(report.from == model.identifier && report.to == model.identifier + "+int8" && report.reextracted == 4)
        #expect(try store.enginePrecision() == (lowered.backbone as? PrecisionNetwork)?.calibration)
        let reloaded = try GalleryStore.open(store.location).loadModel()
        #expect(reloaded.identifier == lowered.identifier && reloaded.backbone is PrecisionNetwork)
        // The stored templates are the int8 engine's own, and the reloaded engine gives them again.
        let migrated = try store.templates(engine: report.to)
        let again = try FacePipeline(model: reloaded, finder: nil).templates(try store.faces().map { face in
            (try pipeline.locate([UInt8](face.bytes!), name: face.path, aligned: true), face.path)
        })
        #expect(migrated.count == 4)
        for (template, expected) in zip(migrated, again) {
            #expect(zip(template.vector, expected[0]).allSatisfy { abs($0 - $1) < 1e-5 })
        }
    }
}
