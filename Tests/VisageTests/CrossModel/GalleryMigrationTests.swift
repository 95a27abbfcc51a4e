import Foundation
import Testing
import Torch
@testable import Visage

@Suite("Feature transformer and gallery migration")
struct GalleryMigrationTests {
    static func r3an(source: Int = 16, target: Int = 8) -> FeatureTransformer {
        Runtime.seed(5)
        let transformation = R3ANTransformation(sourceDimension: source, targetDimension: target)
        transformation.eval()
        return FeatureTransformer(network: .r3an(transformation, .r3an), sourceModel: "dlib", targetModel: "visage-small")
    }

    @Test("a saved transformer loads with its metadata and gives the same features", arguments: ["r3an", "mlp"])
    func roundTrip(architecture: String) throws {
        let folder = try DataFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let transformer = architecture == "r3an" ? Self.r3an()
            : FeatureTransformer(network: .mlp(FeatureMLP(sourceDimension: 16, targetDimension: 8, hiddenWidth: 12)),
                                 sourceModel: "dlib", targetModel: "visage-small")
        let url = folder.appendingPathComponent("t.safetensors")
        try transformer.save(to: url)
        let loaded = try FeatureTransformer.load(from: url)
        #expect(loaded.architecture == architecture && loaded.sourceModel == "dlib" && loaded.targetModel == "visage-small")
        #expect(loaded.sourceDimension == 16 && loaded.targetDimension == 8)
        let input = try CrossModelFixtures.features(rows: 3, columns: 16, seed: 4)
        #expect(try loaded.transform(input) == transformer.transform(input))
    }

    @Test("transforming in batches of rows gives the features of one pass")
    func batchedTransform() throws {
        let transformer = Self.r3an()
        let input = try CrossModelFixtures.features(rows: 5, columns: 16, seed: 4)
        let whole = try transformer.transform(input), batched = try transformer.transform(input, batchSize: 2)
        #expect(batched.rows == 5 && batched.columns == 8)
        #expect(zip(whole.values, batched.values).allSatisfy { abs($0 - $1) < 1e-5 })
        #expect(try transformer.transform(FeatureMatrix(rows: 0, columns: 16, values: []), batchSize: 2).rows == 0)
    }

    @Test("a file that is not a transformer is refused, naming it")
    func notATransformer() throws {
        let folder = try DataFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("plain.safetensors")
        try Linear(2, 2).save(to: url)
        #expect(throws: CrossModelError.invalidTransformer(
            "\(url.path): not a Visage feature transformer (metadata 'format' is absent)")) {
            try FeatureTransformer.load(from: url)
        }
    }

    /// A 10-row gallery of 16-D features with its list (and a stamp when `stamp` is given).
    static func gallery(in folder: URL, columns: Int = 16, stamp: String?) throws -> URL {
        let url = folder.appendingPathComponent("source.npy")
        try FeatureFile(features: CrossModelFixtures.features(rows: 10, columns: columns, seed: 8),
                        paths: (0..<10).map { "p\($0 % 4)/\($0).jpg" }).write(features: url)
        if let stamp { try FeatureStamp(model: stamp, dimension: columns, count: 10).write(for: url) }
        return url
    }

    @Test("A NaN source row stops the migration naming the row; nothing is written")
    func nonFiniteRows() throws {
        let folder = try DataFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = try Self.gallery(in: folder, stamp: "dlib")
        var matrix = try NPYFile.readMatrix(contentsOf: input)
        var values = matrix.values
        values[7 * 16 + 3] = .nan
        matrix = try FeatureMatrix(rows: 10, columns: 16, values: values)
        try NPYFile.write(matrix, to: input)
        let output = folder.appendingPathComponent("target.npy")
        let error = #expect(throws: DataFileError.self) {
            try GalleryMigration(transformer: Self.r3an(), batchSize: 3).run(input: input, output: output)
        }
        #expect(error!.message.contains("row 7 (0-based)"))
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }

    @Test("Features of 0 dimensions are refused when loaded")
    func zeroDimensions() throws {
        let folder = try DataFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("empty.npy")
        try NPYFile.write(FeatureMatrix(rows: 2, columns: 0, values: []), to: url)
        try DataFixtures.write("a/1.png\nb/2.png\n", to: "empty.txt", in: folder)
        let error = #expect(throws: DataFileError.self) { try FeatureFile.load(features: url) }
        #expect(error!.message.contains("0 dimensions"))
    }

    @Test("streaming in small batches gives the in-memory result, the list and a stamp")
    func streamingEqualsInMemory() throws {
        let folder = try DataFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = try Self.gallery(in: folder, stamp: "dlib")
        let transformer = Self.r3an()
        let output = folder.appendingPathComponent("target.npy")
        let report = try GalleryMigration(transformer: transformer, transformerURL: URL(fileURLWithPath: "/m/t.safetensors"),
                                          batchSize: 3).run(input: input, output: output)
        let expected = try transformer.transform(NPYFile.readMatrix(contentsOf: input))
        let streamed = try NPYFile.readMatrix(contentsOf: output)
        #expect(streamed.rows == 10 && streamed.columns == 8)
        #expect(zip(streamed.values, expected.values).allSatisfy { abs($0 - $1) < 1e-5 })
        #expect(try FeatureFile.load(features: output).paths == FeatureFile.load(features: input).paths)
        #expect(report.stamp == FeatureStamp(model: "visage-small", dimension: 8, count: 10, transformedFrom: "dlib",
                                             transformer: "/m/t.safetensors"))
        #expect(try FeatureStamp.read(for: output) == report.stamp && !report.inputUnstamped)
    }

    @Test("a 10,000-feature gallery migrates in bounded memory; reading it whole would not",
          .enabled(if: ProcessMemory.isAvailable))
    func boundedMemory() async {
        // In a fresh process, so that the peak resident size reflects this migration alone.
        await #expect(processExitsWith: .success) {
            let rows = 10_000, columns = 1024, fileBytes = rows * columns * 4  // 40 MiB of float32
            guard let folder = try? DataFixtures.temporaryFolder() else { exit(10) }
            defer { try? FileManager.default.removeItem(at: folder) }
            let input = folder.appendingPathComponent("gallery.npy"), output = folder.appendingPathComponent("out.npy")
            do {
                let writer = try NPYRowWriter(url: input, rows: rows, columns: columns)
                for chunk in 0..<(rows / 500) {
                    try writer.append(FeatureMatrix(rows: 500, columns: columns, values: (0..<(500 * columns)).map {
                        Float(($0 * 7 + chunk) % 101) / 101
                    }))
                }
                try writer.finish()
                Runtime.seed(3)
                let transformer = FeatureTransformer(
                    network: .mlp(FeatureMLP(sourceDimension: columns, targetDimension: 8, hiddenWidth: 16)),
                    sourceModel: "old", targetModel: "new")
                _ = try transformer.transform(CrossModelFixtures.features(rows: 256, columns: columns, seed: 99))
                let migration = try GalleryMigration(transformer: transformer, batchSize: 256)
                guard let before = ProcessMemory.peakResident() else { exit(11) }
                guard try migration.run(input: input, output: output).rows == rows else { exit(12) }
                guard let afterMigration = ProcessMemory.peakResident() else { exit(11) }
                if afterMigration - before > fileBytes / 4 {
                    print("migration raised the peak resident size by \((afterMigration - before) >> 20) MiB")
                    exit(20)
                }
                // The control: the same measurement sees a whole-file read, so the bound above can fail.
                let whole = try NPYFile.readMatrix(contentsOf: input)
                guard let afterWholeRead = ProcessMemory.peakResident() else { exit(11) }
                if whole.rows != rows || afterWholeRead - afterMigration < fileBytes / 2 {
                    print("reading the file whole raised the peak by only \((afterWholeRead - afterMigration) >> 20) MiB")
                    exit(21)
                }
            } catch {
                print(error)
                exit(30)
            }
            exit(0)
        }
    }

    @Test("a wrong dimension or a stamp of another model is refused before anything is written")
    func refusals() throws {
        let folder = try DataFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let migration = try GalleryMigration(transformer: Self.r3an())
        let output = folder.appendingPathComponent("target.npy")
        let wide = try Self.gallery(in: folder, columns: 12, stamp: nil)
        #expect(throws: CrossModelError.incompatibleFeatures(
            "\(wide.path) holds 12-dimensional features but the transformer reads 16-dimensional features of dlib")) {
            try migration.run(input: wide, output: output)
        }
        let other = try Self.gallery(in: folder, stamp: "arcface")
        #expect(throws: CrossModelError.incompatibleFeatures(
            "\(FeatureStamp.url(for: other).path) says the features come from 'arcface' but the transformer reads "
                + "features of 'dlib'")) {
            try migration.run(input: other, output: output)
        }
        #expect(!FileManager.default.fileExists(atPath: output.path))
        try FileManager.default.removeItem(at: FeatureStamp.url(for: other))
        #expect(try migration.run(input: other, output: output).inputUnstamped)
    }
}
