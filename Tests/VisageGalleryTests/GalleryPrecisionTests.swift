import Foundation
import SyntheticFaces
import Testing
import Torch
import Visage
@testable import VisageGallery

/// A gallery whose engine runs below fp32 keeps its calibration, so every later use runs the same lowered network.
@Suite("Gallery precision", .serialized)
struct GalleryPrecisionTests {
    @Test("An int8 gallery reloads its engine at int8 with the stored calibration; a migration returns it to fp32",
          arguments: GalleryBackend.available)
    func int8Engine(backend: GalleryBackend) throws {
        let folder = try GalleryFixtures.temporaryFolder()
        defer { GalleryFixtures.remove(folder) }
        Runtime.seed(4)
        let file = folder.appendingPathComponent("student.safetensors")
        try FaceModel(architecture: .bridgeStudent, embeddingSize: 128, inputSize: 16).save(to: file)
        let faces = try SyntheticFaceSource(dataset: SyntheticDataset(identities: 6, imagesPerIdentity: 2, seed: 3))
        let model = try FaceModel.load(file.path)
        let lowered = try model.atPrecision(.int8, calibration: model.faces(fromAligned: faces), count: 12, tolerance: 0.9)
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
}
