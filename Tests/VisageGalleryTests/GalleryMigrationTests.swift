import Foundation
import Testing
import Torch
import Visage
@testable import VisageGallery

/// Moving a gallery to another engine: re-extraction from kept photos, or a transformer, never silently.
@Suite("Gallery engine migration")
struct GalleryMigrationTests {
    @Test("Kept photos are re-extracted: the new templates equal the new engine's own embeddings of the photos", arguments: GalleryBackend.available)
    func reextract(backend: GalleryBackend) throws {
        let folder = try GalleryFixtures.temporaryFolder()
        defer { GalleryFixtures.remove(folder) }
        let urls = try GalleryFixtures.writePhotos(5, in: folder.appendingPathComponent("photos"))
        let store = try GalleryFixtures.gallery(in: folder, backend, keepPhotos: true)
        _ = try GalleryFixtures.enroller(store, pipeline: GalleryFixtures.pipeline())
            .enroll(PhotoList(urls.map(\.path)), person: GalleryFixtures.folderName, showProgress: false)
        // The photos leave their paths: only the gallery's copies remain.
        try FileManager.default.removeItem(at: folder.appendingPathComponent("photos"))
        let target = try GalleryFixtures.pipeline("tiny-b", seed: 2)
        let report = try EngineMigration(store: store, pipeline: target, reference: "tiny-b", method: .reextract,
                                         transformer: nil).run(showProgress: false)
        #expect(report.reextracted == 5 && report.transformed == 0 && report.from == "tiny-a" && report.to == "tiny-b")
        #expect(try store.engine().stamp == "tiny-b")
        let migrated = try store.templates(engine: "tiny-b")
        let direct = try GalleryFixtures.pipeline("tiny-b", seed: 2).templates(try store.faces().map { face in
            (try target.locate([UInt8](face.bytes!), name: face.path, aligned: true), face.path)
        })
        for (template, expected) in zip(migrated, direct) {
            #expect(zip(template.vector, expected[0]).allSatisfy { abs($0 - $1) < 1e-5 })
        }
        // Both engines' templates stay; a search of the new one leaves nobody out.
        #expect(try store.templateCounts().map(\.count) == [5, 5])
        try store.requireCoverage(of: "tiny-b", assignedOnly: true)
    }

    @Test("Without photos, a transformer maps the templates, marked transformed; without one, a named refusal", arguments: GalleryBackend.available)
    func transform(backend: GalleryBackend) throws {
        let folder = try GalleryFixtures.temporaryFolder()
        defer { GalleryFixtures.remove(folder) }
        let urls = try GalleryFixtures.writePhotos(4, in: folder.appendingPathComponent("photos"))
        let store = try GalleryFixtures.gallery(in: folder, backend)
        _ = try GalleryFixtures.enroller(store, pipeline: GalleryFixtures.pipeline())
            .enroll(PhotoList(urls.map(\.path)), person: GalleryFixtures.folderName, showProgress: false)
        try FileManager.default.removeItem(at: folder.appendingPathComponent("photos"))
        let target = try GalleryFixtures.pipeline("tiny-b", seed: 2)
        let refused = #expect(throws: GalleryError.self) {
            try EngineMigration(store: store, pipeline: target, reference: "tiny-b", method: .auto, transformer: nil)
                .run(showProgress: false)
        }
        #expect(refused?.message.contains("a transformer from tiny-a to tiny-b is needed") == true)
        Runtime.seed(4)
        let wrong = FeatureTransformer(network: .mlp(FeatureMLP(sourceDimension: 8, targetDimension: 8, hiddenWidth: 16)),
                                       sourceModel: "tiny-c", targetModel: "tiny-b")
        let mismatch = #expect(throws: GalleryError.self) {
            try EngineMigration(store: store, pipeline: target, reference: "tiny-b", method: .transform,
                                transformer: .init(transformer: wrong, url: URL(fileURLWithPath: "/t/wrong.safetensors"), top1: nil))
                .run(showProgress: false)
        }
        #expect(mismatch?.message.contains("maps tiny-c to tiny-b") == true)
        #expect(try store.templateCounts().map(\.engine) == ["tiny-a"])

        let transformer = FeatureTransformer(network: .mlp(FeatureMLP(sourceDimension: 8, targetDimension: 8, hiddenWidth: 16)),
                                             sourceModel: "tiny-a", targetModel: "tiny-b")
        let report = try EngineMigration(
            store: store, pipeline: target, reference: "tiny-b", method: .auto,
            transformer: .init(transformer: transformer, url: URL(fileURLWithPath: "/t/a-to-b.safetensors"), top1: 0.93)
        ).run(showProgress: false)
        #expect(report.transformed == 4 && report.reextracted == 0)
        let source = try store.templates(engine: "tiny-a")
        let expected = try transformer.transform(FeatureMatrix(rows: 4, columns: 8, values: source.flatMap(\.vector)))
        for (row, template) in try store.templates(engine: "tiny-b").enumerated() {
            let mapped = Array(expected.row(row)), norm = mapped.reduce(0) { $0 + $1 * $1 }.squareRoot()
            #expect(zip(template.vector, mapped).allSatisfy { abs($0 - $1 / norm) < 1e-5 })
        }
        #expect(try store.templateCounts().first { $0.engine == "tiny-b" }?.transformed == 4)
        let provenance = try store.read { db in
            try db.fetch("SELECT DISTINCT provenance, transformer, transformedFrom, transformerTop1 FROM template WHERE engine = 'tiny-b'")
                .map { "\(try $0["provenance"] as String) \(try $0["transformer"] as String) \(try $0["transformedFrom"] as String) \(try $0["transformerTop1"] as Double)" }
        }
        #expect(provenance == ["transformed /t/a-to-b.safetensors tiny-a 0.93"])
    }
}
