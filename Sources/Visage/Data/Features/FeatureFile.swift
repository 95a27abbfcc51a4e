import Foundation

/// Features of a list of images from an external engine (or `visage embed`): an `.npy` N×D float32 matrix and
/// a `.txt` file of the N image paths, one per line, in row order.
public struct FeatureFile: Sendable {
    /// One row per image.
    public let features: FeatureMatrix
    /// The image path of each row, as written in the list.
    public let paths: [String]
    /// Where the matrix and the list were read from, when they were; errors name them.
    public let featuresURL: URL?
    public let pathsURL: URL?

    /// Features and paths in memory.
    /// - Throws: ``DataError/invalidArgument(_:)`` when the row count differs from the number of paths.
    public init(features: FeatureMatrix, paths: [String]) throws {
        guard features.rows == paths.count else {
            throw DataError.invalidArgument("\(features.rows) feature rows but \(paths.count) paths")
        }
        self.init(features: features, paths: paths, featuresURL: nil, pathsURL: nil)
    }

    private init(features: FeatureMatrix, paths: [String], featuresURL: URL?, pathsURL: URL?) {
        self.features = features
        self.paths = paths
        self.featuresURL = featuresURL
        self.pathsURL = pathsURL
    }

    /// Loads `features` (`.npy`) and `paths` (the list; by default the same name ending in `.txt`) and checks
    /// that they agree.
    /// - Parameters:
    ///   - expectedDimension: when given, the number of columns the features must have.
    ///   - imageRoot: when given, the folder the listed paths are relative to; every one must exist.
    /// - Throws: ``DataFileError`` when either file cannot be read or parsed, the list has a blank line, the row
    ///   count differs from the list's length, the dimension is not `expectedDimension`, or a listed image is
    ///   missing under `imageRoot` (naming its line and how many others are missing).
    public static func load(
        features: URL, paths: URL? = nil, expectedDimension: Int? = nil, imageRoot: URL? = nil
    ) throws -> FeatureFile {
        let pathsURL = paths ?? features.deletingPathExtension().appendingPathExtension("txt")
        let matrix = try NPYFile.readMatrix(contentsOf: features)
        guard matrix.columns > 0 || matrix.rows == 0 else {
            throw DataFileError(features, "holds \(matrix.rows) features of 0 dimensions; nothing can be compared")
        }
        let list = try TextLines(contentsOf: pathsURL)
        var lines = list.lines
        while lines.last?.allSatisfy(\.isWhitespace) == true { lines.removeLast() }
        if let blank = lines.firstIndex(where: { $0.allSatisfy(\.isWhitespace) }) {
            throw list.error(line: blank + 1, "blank line: every line must name the image of one feature row")
        }
        guard matrix.rows == lines.count else {
            throw DataFileError(features, "\(matrix.rows) feature rows, but \(pathsURL.path) lists \(lines.count) "
                + "image paths; the two files must describe the same images in the same order")
        }
        if let expectedDimension, matrix.columns != expectedDimension {
            throw DataFileError(features, "features are \(matrix.columns)-dimensional, expected \(expectedDimension)")
        }
        let file = FeatureFile(
            features: matrix, paths: lines.map { String($0).trimmingCharacters(in: .whitespaces) },
            featuresURL: features, pathsURL: pathsURL)
        if let imageRoot { try file.checkImagesExist(under: imageRoot) }
        return file
    }

    /// The feature dimension D.
    public var dimension: Int { features.columns }

    /// The row of the image written as `path`, or nil when the list does not have it.
    public func row(forPath path: String) -> Int? {
        paths.firstIndex(of: path)
    }

    /// The rows whose image does not exist under `root`.
    public func missingImages(under root: URL) -> [Int] {
        paths.indices.filter {
            !FileManager.default.fileExists(atPath: URL.resolving(paths[$0], against: root).path)
        }
    }

    /// Throws naming the list line of the first image missing under `root` and how many others are missing.
    public func checkImagesExist(under root: URL) throws {
        let missing = missingImages(under: root)
        guard let first = missing.first else { return }
        let message = "image \(paths[first]) does not exist under \(root.path)"
            + (missing.count > 1 ? " (\(missing.count - 1) more listed images are missing)" : "")
        if let pathsURL { throw DataFileError(pathsURL, line: first + 1, message) }
        throw DataError.invalidArgument("row \(first): " + message)
    }

    /// Writes the matrix to `features` (`.npy`, float32) and the paths to `paths` (by default the same name ending
    /// in `.txt`), one per line.
    public func write(features: URL, paths: URL? = nil) throws {
        if paths == nil { try FeatureStamp.checkFeaturesPath(features) }
        let pathsURL = paths ?? features.deletingPathExtension().appendingPathExtension("txt")
        if let bad = self.paths.firstIndex(where: { $0.contains("\n") || $0.allSatisfy(\.isWhitespace) }) {
            throw DataError.invalidArgument("row \(bad): the path '\(self.paths[bad])' cannot be written one per line")
        }
        try NPYFile.write(self.features, to: features)
        do {
            try Data(self.paths.map { $0 + "\n" }.joined().utf8).write(to: pathsURL, options: .atomic)
        } catch {
            throw DataFileError(pathsURL, "cannot write the file: \(error.localizedDescription)")
        }
    }
}

extension FeatureFile {
    /// The last two components of an image path, `identity/fileName`: what identifies an image across feature
    /// lists written relative to different folders (`aligned/AJ_Cook/AJ_Cook_0001.jpg` and
    /// `AJ_Cook/AJ_Cook_0001.jpg` are the same image).
    public static func imageKey(_ path: String) -> String {
        let components = path.split(separator: "/")
        let name = components.last.map(String.init) ?? path
        return components.count > 1 ? components[components.count - 2] + "/" + name : "/" + name
    }
}
