import Foundation

/// Moves a stored feature file (a gallery) into another model's feature space with a ``FeatureTransformer``,
/// streaming: the input `.npy` is read and the output written a batch of rows at a time, so only one batch is
/// in memory whatever the gallery's size.
///
/// The image list travels along (the input's `.txt`, or the one given, copied beside the output), and the output
/// gets a ``FeatureStamp`` naming the target model, the source model and the transformer. An input whose
/// dimension or stamp does not fit the transformer is refused before anything is written.
public struct GalleryMigration {
    /// The transformation to apply.
    public let transformer: FeatureTransformer
    /// Where the transformer was read from, recorded in the output stamp.
    public let transformerURL: URL?
    /// Rows per batch.
    public let batchSize: Int

    /// What a migration did.
    public struct Report: Sendable, Equatable {
        /// Rows transformed.
        public var rows: Int
        /// The stamp written next to the output.
        public var stamp: FeatureStamp
        /// The image list written next to the output, if any.
        public var list: URL?
        /// True when the input had no stamp, so its model could not be checked.
        public var inputUnstamped: Bool
    }

    /// A migration with `transformer` in batches of `batchSize` rows.
    public init(transformer: FeatureTransformer, transformerURL: URL? = nil, batchSize: Int = 1024) throws {
        guard batchSize > 0 else { throw DataError.invalidArgument("batch size must be positive, got \(batchSize)") }
        self.transformer = transformer
        self.transformerURL = transformerURL
        self.batchSize = batchSize
    }

    /// Checks that the features at `input` (`rows` × `columns`, with their stamp if any) can be transformed.
    /// - Returns: the input's stamp, nil when it has none.
    /// - Throws: ``CrossModelError/incompatibleFeatures(_:)`` naming the file, the dimensions or the models.
    public func checkInput(_ input: URL, columns: Int) throws -> FeatureStamp? {
        guard columns == transformer.sourceDimension else {
            throw CrossModelError.incompatibleFeatures(
                "\(input.path) holds \(columns)-dimensional features but the transformer reads "
                    + "\(transformer.sourceDimension)-dimensional features of \(transformer.sourceModel)")
        }
        guard let stamp = try FeatureStamp.read(for: input) else { return nil }
        guard stamp.model == transformer.sourceModel else {
            throw CrossModelError.incompatibleFeatures(
                "\(FeatureStamp.url(for: input).path) says the features come from '\(stamp.model)' but the "
                    + "transformer reads features of '\(transformer.sourceModel)'")
        }
        guard stamp.dimension == columns else {
            throw CrossModelError.incompatibleFeatures(
                "\(FeatureStamp.url(for: input).path) says \(stamp.dimension) dimensions but \(input.path) has \(columns)")
        }
        return stamp
    }

    /// Transforms `input` (`.npy`) into `output` (`.npy`), copying the image list (`list`, else the input's
    /// `.txt` when it exists) to the output's `.txt` and writing the output's stamp.
    /// - Throws: ``CrossModelError/incompatibleFeatures(_:)`` for a wrong dimension or stamp, ``DataFileError``
    ///   for unreadable files or a list whose length differs from the row count.
    @discardableResult
    public func run(input: URL, list: URL? = nil, output: URL, progress: ProgressBar? = nil) throws -> Report {
        try FeatureStamp.checkFeaturesPath(output)
        guard input.standardizedFileURL != output.standardizedFileURL else {
            throw DataError.invalidArgument("the output \(output.path) would overwrite the input")
        }
        let reader = try NPYRowReader(contentsOf: input)
        let stamp = try checkInput(input, columns: reader.columns)
        let sibling = input.deletingPathExtension().appendingPathExtension("txt")
        let listURL = list ?? (FileManager.default.fileExists(atPath: sibling.path) ? sibling : nil)
        var paths: [String]?
        if let listURL {
            let lines = try TextLines(contentsOf: listURL).lines.map(String.init)
            guard lines.count == reader.rows else {
                throw DataFileError(listURL, "lists \(lines.count) images but \(input.path) has \(reader.rows) rows")
            }
            paths = lines
        }
        let writer = try NPYRowWriter(url: output, rows: reader.rows, columns: transformer.targetDimension)
        var firstRow = 0
        while let chunk = try reader.next(maxRows: batchSize) {
            // A row that is not finite, in or out, stops the run naming it; the output is not written.
            if let bad = Self.firstNonFiniteRow(chunk) {
                throw DataFileError(input, "row \(firstRow + bad) (0-based) is not finite; nothing was written")
            }
            let transformed = try transformer.transform(chunk)
            if let bad = Self.firstNonFiniteRow(transformed) {
                throw DataFileError(input, "the transformer maps row \(firstRow + bad) (0-based) to values that are not "
                    + "finite; nothing was written")
            }
            try writer.append(transformed)
            firstRow += chunk.rows
            progress?.advance(by: chunk.rows)
        }
        try writer.finish()
        var outputList: URL?
        if let paths {
            let url = output.deletingPathExtension().appendingPathExtension("txt")
            do {
                try Data(paths.map { $0 + "\n" }.joined().utf8).write(to: url, options: .atomic)
            } catch {
                throw DataFileError(url, "cannot write the file: \(error.localizedDescription)")
            }
            outputList = url
        }
        let outputStamp = FeatureStamp(
            model: transformer.targetModel, dimension: transformer.targetDimension, count: reader.rows,
            transformedFrom: stamp?.model ?? transformer.sourceModel, transformer: transformerURL?.path)
        try outputStamp.write(for: output)
        return Report(rows: reader.rows, stamp: outputStamp, list: outputList, inputUnstamped: stamp == nil)
    }

    /// The index of the first row of `matrix` holding a NaN or infinity.
    static func firstNonFiniteRow(_ matrix: FeatureMatrix) -> Int? {
        matrix.values.firstIndex { !$0.isFinite }.map { $0 / max(matrix.columns, 1) }
    }
}
