import Foundation
import Torch

/// The teacher's features `f_t(I)` of every training image, one row per sample of the training source, in the
/// source's order (Ge et al., Section III-A: the teacher's feature extraction backend).
///
/// The teacher can be any feature source: an external engine's ``FeatureFile`` (dlib's 128-D features), a
/// Visage network run over the images (``embedded(by:name:source:keptIn:showProgress:)``), or an ensemble of several, whose
/// features are concatenated (the paper's teacher "E").
public struct TeacherFeatures: Sendable {
    /// One row per training sample.
    public let matrix: FeatureMatrix
    /// A name for reports (`dlib`, `dlib+arcface`).
    public let name: String
    /// The teachers of an ensemble; empty for a single teacher.
    private var parts: [TeacherFeatures] = []

    /// Features already in source order.
    /// - Throws: ``DataError/invalidArgument(_:)`` when the row count is not `sampleCount` or a value is not
    ///   finite.
    public init(matrix: FeatureMatrix, name: String, sampleCount: Int) throws {
        guard matrix.rows == sampleCount else {
            throw DataError.invalidArgument("the teacher '\(name)' has \(matrix.rows) feature rows for \(sampleCount) "
                + "training images; it needs one row per image")
        }
        if let bad = matrix.values.firstIndex(where: { !$0.isFinite }) {
            throw DataError.invalidArgument("the teacher '\(name)' feature of training image \(bad / max(matrix.columns, 1)) "
                + "is not finite")
        }
        self.matrix = matrix
        self.name = name
    }

    /// The rows of `file` for every sample of `source`, matched by the last two path components (identity
    /// folder and file name) of the sample's name and the file's listed paths.
    /// - Throws: ``DataFileError`` naming the feature list when two of its rows are the same image, or when
    ///   samples of `source` have no row (naming how many and the first few) — a feature file made for another
    ///   image list.
    public init(file: FeatureFile, name: String, source: any FaceSource) throws {
        let list = file.pathsURL?.path ?? "the feature list"
        var rowOfKey: [String: Int] = [:]
        for (row, path) in file.paths.enumerated() {
            let key = Self.key(path)
            if let earlier = rowOfKey[key] {
                let message = "rows \(earlier + 1) and \(row + 1) are both the image \(key)"
                if let url = file.pathsURL { throw DataFileError(url, line: row + 1, message) }
                throw DataError.invalidArgument("\(list): \(message)")
            }
            rowOfKey[key] = row
        }
        var rows: [Int] = []
        var missing: [String] = []
        rows.reserveCapacity(source.count)
        for index in 0..<source.count {
            let sample = source.name(at: index)
            if let row = rowOfKey[Self.key(sample)] { rows.append(row) } else { missing.append(sample) }
        }
        guard missing.isEmpty else {
            let message = "\(missing.count) of the \(source.count) training images have no teacher feature in "
                + "\(list) (\(file.paths.count) rows), e.g. \(missing.prefix(3).joined(separator: ", ")); the "
                + "feature file must list every training image"
            if let url = file.featuresURL { throw DataFileError(url, message) }
            throw DataError.invalidArgument(message)
        }
        let columns = file.dimension
        var values: [Float] = []
        values.reserveCapacity(rows.count * columns)
        for row in rows { values += file.features.row(row) }
        try self.init(matrix: FeatureMatrix(rows: rows.count, columns: columns, values: values), name: name,
                      sampleCount: source.count)
    }

    /// The embeddings of `model` (a trained Visage model or an engine) of every sample of `source` (ArcFace-aligned
    /// crops, resized or re-cut as the model wants), L2-normalized as the ``Embedder`` returns them.
    ///
    /// With `file`, the features are also written there (`.npy`, the samples' names in the `.txt` beside it, the
    /// model's stamp in the `.json`), where another run can take them as a feature file; when `file` already holds
    /// features stamped with this model's identifier and a row for every sample, they are read instead of
    /// embedding again (a rerun that resumes).
    public static func embedded(by model: FaceModel, name: String, source: any FaceSource, keptIn file: URL? = nil,
                                showProgress: Bool = true) throws -> TeacherFeatures {
        if let file, try FeatureStamp.read(for: file)?.model == model.identifier,
           let kept = try? TeacherFeatures(file: FeatureFile.load(features: file), name: name, source: source) {
            return kept
        }
        let features = try model.embedder().embed(model.faces(fromAligned: source), showProgress: showProgress)
        if let file {
            try FeatureFile(features: features, paths: (0..<source.count).map { source.name(at: $0) })
                .write(features: file)
            try FeatureStamp(model: model.identifier, dimension: features.columns, count: features.rows)
                .write(for: file)
        }
        return try TeacherFeatures(matrix: features, name: name, sampleCount: source.count)
    }

    /// The ensemble of `teachers`: their features side by side, `[f_1 | f_2 | …]`, named `a+b`.
    /// - Throws: ``DataError/invalidArgument(_:)`` when there is none or their row counts differ.
    public static func ensemble(_ teachers: [TeacherFeatures]) throws -> TeacherFeatures {
        guard let first = teachers.first else { throw DataError.invalidArgument("an ensemble needs a teacher") }
        guard teachers.count > 1 else { return first }
        let rows = first.matrix.rows
        if let other = teachers.first(where: { $0.matrix.rows != rows }) {
            throw DataError.invalidArgument("the ensemble's teachers have \(rows) (\(first.name)) and "
                + "\(other.matrix.rows) (\(other.name)) rows; they must describe the same images")
        }
        let columns = teachers.map(\.matrix.columns).reduce(0, +)
        var values: [Float] = []
        values.reserveCapacity(rows * columns)
        for row in 0..<rows {
            for teacher in teachers { values += teacher.matrix.row(row) }
        }
        var result = try TeacherFeatures(matrix: FeatureMatrix(rows: rows, columns: columns, values: values),
                                         name: teachers.map(\.name).joined(separator: "+"), sampleCount: rows)
        result.parts = teachers.flatMap(\.members)
        return result
    }

    /// The same features under another name (an ensemble keeps its members).
    public func renamed(_ name: String) throws -> TeacherFeatures {
        var result = try TeacherFeatures(matrix: matrix, name: name, sampleCount: matrix.rows)
        result.parts = parts
        return result
    }

    /// The single teachers: those of an ensemble, or this teacher alone.
    public var members: [TeacherFeatures] { parts.isEmpty ? [self] : parts }

    /// The feature dimension.
    public var dimension: Int { matrix.columns }

    /// The features as a `[N, D]` float32 tensor.
    public func tensor() throws -> Tensor {
        try Tensor(matrix.values, shape: [matrix.rows, matrix.columns])
    }

    /// `identity/file` of a path.
    private static func key(_ path: String) -> String {
        path.split(separator: "/").suffix(2).joined(separator: "/")
    }
}
