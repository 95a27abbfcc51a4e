import Foundation
import Torch

/// Training pairs of template inversion: aligned faces and the engine's templates of them (the engine queried
/// once, for templates only), labelled by identity (the folder holding each image).
///
/// As a ``FaceSource`` it serves the faces resized to ``faceSize`` (area filter); ``templates(rows:)`` gives the
/// templates of a batch's rows.
public struct InversionFaces: FaceSource {
    /// Image paths, relative to ``imageRoot``.
    public let paths: [String]
    /// The engine's template of each image, row `i` of `paths[i]`.
    public let templates: FeatureMatrix
    /// Identity index of each image, in order of first appearance.
    public let labels: [Int]
    /// Identity folders by index.
    public let identities: [String]
    public let imageRoot: URL
    /// Side of the faces served.
    public let faceSize: Int

    /// The rows of `file` whose identity (the folder name, as LFW's people lists name people) is in `people`,
    /// or every row when `people` is nil.
    /// - Throws: ``DataError/invalidArgument(_:)`` when no row is left.
    public init(file: FeatureFile, imageRoot: URL, faceSize: Int, people: Set<String>? = nil) throws {
        let rows = file.paths.indices.filter { row in
            people.map { $0.contains(Self.identity(of: file.paths[row])) } ?? true
        }
        guard !rows.isEmpty else {
            throw DataError.invalidArgument("none of the \(file.paths.count) images of "
                + "\(file.featuresURL?.path ?? "the templates") belongs to the people listed")
        }
        paths = rows.map { file.paths[$0] }
        templates = file.features.selecting(rows: rows)
        (labels, identities) = Self.identityLabels(of: paths)
        self.imageRoot = imageRoot
        self.faceSize = faceSize
    }

    /// The identity name of an image path: its folder's name.
    public static func identity(of path: String) -> String {
        ((path as NSString).deletingLastPathComponent as NSString).lastPathComponent
    }

    /// Each path's identity index (its folder, in order of first appearance) and the folders by index.
    public static func identityLabels(of paths: [String]) -> (labels: [Int], identities: [String]) {
        var index: [String: Int] = [:], identities: [String] = []
        let labels = paths.map { path in
            let identity = (path as NSString).deletingLastPathComponent
            if let known = index[identity] { return known }
            index[identity] = identities.count
            identities.append(identity)
            return identities.count - 1
        }
        return (labels, identities)
    }

    /// The template length.
    public var templateDimension: Int { templates.columns }

    /// The templates of `rows`, `[rows.count, D]`.
    public func templates(rows: [Int]) throws -> Tensor {
        try Tensor(rows.flatMap { templates.row($0) }, shape: [rows.count, templates.columns])
    }

    public var count: Int { paths.count }
    public func label(at index: Int) -> Int { labels[index] }
    public func name(at index: Int) -> String { paths[index] }

    /// The face of `index`, resized to `faceSize`×`faceSize`.
    public func image(at index: Int) throws -> Image {
        let image = try ImageCodec.decode(contentsOf: URL.resolving(paths[index], against: imageRoot))
        return image.width == faceSize && image.height == faceSize
            ? image : image.resized(width: faceSize, height: faceSize, filter: .area)
    }
}
