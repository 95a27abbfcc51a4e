import Foundation
import Testing
import Torch
import Visage
@testable import VisageGallery

/// Scratch galleries, synthetic photos and a tiny untrained model, so that the gallery's tests run without the
/// engines' weights.
enum GalleryFixtures {
    /// A new empty folder under the system's temporary folder; the caller removes it.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("visage-gallery-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A small convolutional network giving 8-value templates of 32×32 crops, named `identifier`.
    static func model(_ identifier: String, seed: UInt64 = 1) -> FaceModel {
        Runtime.seed(seed)
        let network = SmallConvNet(width: 4, classes: 8)
        network.eval()
        return FaceModel(backbone: network, architecture: .mobileFaceNet, embeddingSize: 8, inputSize: 32,
                         identifier: identifier)
    }

    /// A pipeline for aligned crops over ``model(_:seed:)``.
    static func pipeline(_ identifier: String = "tiny-a", seed: UInt64 = 1) throws -> FacePipeline {
        try FacePipeline(model: model(identifier, seed: seed), finder: nil, batchSize: 16)
    }

    /// `count` distinct 112×112 "aligned crops" of random pixels in `folder/person-k/`, `perPerson` each.
    @discardableResult
    static func writePhotos(_ count: Int, perPerson: Int = 1, in folder: URL, seed: UInt64 = 7) throws -> [URL] {
        var random = SeededRandom(seed: seed)
        return try (0..<count).map { index in
            let person = folder.appendingPathComponent("person-\(index / perPerson)")
            try FileManager.default.createDirectory(at: person, withIntermediateDirectories: true)
            let url = person.appendingPathComponent("photo-\(index).png")
            let pixels = (0..<(112 * 112 * 3)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            try ImageCodec.write(Image(width: 112, height: 112, channels: 3, pixels: pixels), to: url)
            return url
        }
    }

    /// Removes a scratch folder and, on PostgreSQL, the schema of its gallery.
    static func remove(_ folder: URL) {
        try? FileManager.default.removeItem(at: folder)
        if GalleryBackend.postgresURL != nil, let location = try? location(in: folder, .postgres) {
            try? GalleryStore.drop(location)
        }
    }

    /// Where the gallery of the scratch `folder` lives on `backend`: `folder/gallery.sqlite`, or a schema named
    /// after the folder in the database of `VISAGE_TEST_POSTGRES`.
    static func location(in folder: URL, _ backend: GalleryBackend) throws -> GalleryLocation {
        switch backend {
        case .sqlite:
            return .sqlite(folder.appendingPathComponent("gallery.sqlite"))
        case .postgres:
            let base = try #require(GalleryBackend.postgresURL, "VISAGE_TEST_POSTGRES is not set")
            let schema = "t_" + folder.lastPathComponent.replacingOccurrences(of: "visage-gallery-", with: "")
                .replacingOccurrences(of: "-", with: "").lowercased()
            return try GalleryLocation(base + (base.contains("?") ? "&" : "?") + "schema=\(schema)")
        }
    }

    /// A new gallery for the tiny model's stamp, in `folder` or in PostgreSQL.
    static func gallery(in folder: URL, _ backend: GalleryBackend = .sqlite, engine: String = "tiny-a",
                        keepPhotos: Bool = false) throws -> GalleryStore {
        try GalleryStore.create(at: location(in: folder, backend), engine: engine, engineStamp: engine, keepPhotos: keepPhotos)
    }

    /// An enroller of aligned crops into `store` with the tiny model.
    static func enroller(_ store: GalleryStore, pipeline: FacePipeline) -> GalleryEnroller {
        var enroller = GalleryEnroller(store: store, pipeline: pipeline, engine: pipeline.model.identifier)
        enroller.aligned = true
        enroller.chunkSize = 4
        return enroller
    }

    /// Each photo's folder name as its person.
    static func folderName(_ photo: PhotoList.Photo) -> String? { photo.url.deletingLastPathComponent().lastPathComponent }

    /// A face record with `template`, for tests that write the store directly.
    static func face(_ template: [Float]) -> GalleryFace {
        GalleryFace(box: FaceBox(left: 0, top: 0, right: 9, bottom: 9), score: 1,
                    landmarks: Array(repeating: SIMD2(1, 2), count: 5), template: template)
    }

    /// A photo record named `name` with one face per template.
    static func photo(_ name: String, person: String?, templates: [[Float]]) -> PhotoEnrollment {
        PhotoEnrollment(sha256: SHA256.hex(Array(name.utf8)), path: "/photos/\(name)", width: 10, height: 10,
                        aligned: false, bytes: nil, person: person, faces: templates.map(face))
    }

    /// A unit vector of `dimension` random values.
    static func unitVector(_ dimension: Int, _ random: inout SeededRandom) -> [Float] {
        let values = (0..<dimension).map { _ in Float(random.normal()) }
        let norm = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return values.map { $0 / norm }
    }
}

/// The databases the store's tests run on: SQLite always, PostgreSQL too when `VISAGE_TEST_POSTGRES` holds a URL
/// (postgres://USER@HOST:PORT/DATABASE; each test makes its own schema there and drops it).
enum GalleryBackend: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case sqlite
    case postgres

    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["VISAGE_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The backends to test on here.
    static var available: [GalleryBackend] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    var testDescription: String { rawValue }
}
