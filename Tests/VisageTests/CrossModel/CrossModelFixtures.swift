import Foundation
import Torch
@testable import Visage

/// Small on-disk paired data for the cross-model tests.
enum CrossModelFixtures {
    /// Seeded features `[rows, columns]` as a matrix.
    static func features(rows: Int, columns: Int, seed: UInt64) throws -> FeatureMatrix {
        var generator = SeededRandom(seed: seed)
        return try FeatureMatrix(rows: rows, columns: columns,
                                 values: (0..<(rows * columns)).map { _ in Float(generator.normal()) })
    }

    /// A folder with `count` 64×64 RGB faces under `images/<identity>/<n>.png`, a source feature file
    /// `source.npy/.txt` (sourceDimension) and a target file `target.npy/.txt` (targetDimension) listing the same
    /// images in reverse order.
    static func pairsFolder(count: Int, sourceDimension: Int, targetDimension: Int) throws -> URL {
        let folder = try DataFixtures.temporaryFolder()
        var generator = SeededRandom(seed: 7)
        var paths: [String] = []
        for index in 0..<count {
            let path = "id\(index % 3)/\(index).png"
            let url = folder.appendingPathComponent("images").appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            let image = Image(width: 64, height: 64, channels: 3,
                              pixels: (0..<(64 * 64 * 3)).map { _ in UInt8(generator.index(below: 256)) })
            try ImageCodec.write(image, to: url)
            paths.append(path)
        }
        let source = try features(rows: count, columns: sourceDimension, seed: 1)
        let target = try features(rows: count, columns: targetDimension, seed: 2)
        try FeatureFile(features: source, paths: paths).write(features: folder.appendingPathComponent("source.npy"))
        let reversed = try FeatureMatrix(rows: count, columns: targetDimension,
                                         values: (0..<count).reversed().flatMap { target.row($0) })
        try FeatureFile(features: reversed, paths: paths.reversed())
            .write(features: folder.appendingPathComponent("target.npy"))
        return folder
    }

    /// The pairs of a ``pairsFolder(count:sourceDimension:targetDimension:)``, faces read from its `images`
    /// subfolder (or another, e.g. a missing one for feature-only training).
    static func pairs(in folder: URL, images: String = "images") throws -> CrossModelPairs {
        try CrossModelPairs.load(
            source: folder.appendingPathComponent("source.npy"), target: folder.appendingPathComponent("target.npy"),
            imageRoot: folder.appendingPathComponent(images))
    }

    /// The values of every parameter of `module`.
    static func snapshot(_ module: Module) -> [[Float]] {
        module.parameters().map { $0.array(of: Float.self) }
    }

    /// How many parameter tensors of `module` differ from `before`.
    static func changedCount(_ module: Module, since before: [[Float]]) -> Int {
        zip(snapshot(module), before).count { $0 != $1 }
    }
}
