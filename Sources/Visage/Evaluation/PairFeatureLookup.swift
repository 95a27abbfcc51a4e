import Foundation

/// Finds the feature row of each image a pair list names, matching by identity folder and file name.
///
/// A feature file lists image paths (`aligned/Abel_Pacheco/Abel_Pacheco_0001.jpg`); a pair names an identity and
/// an image (`Abel_Pacheco 1 4`, `s1 1.png 6.png`). A row matches a pair image when the last two components of its
/// path are the identity and the image's file name; a numbered image `n` matches the file name
/// `<identity>_<n, 4 digits at least>` with any extension. When the pairs are first resolved against an image
/// root (``PairList/resolve(against:)``), the file found on disk gives the exact name.
public struct PairFeatureLookup: Sendable {
    /// The features searched.
    public let features: FeatureFile
    /// `identity/fileName` → row.
    private let rowsByName: [String: Int]
    /// `identity/fileStem` → rows (more than one when the same stem has several extensions).
    private let rowsByStem: [String: [Int]]

    /// Indexes the rows of `features`.
    /// - Throws: ``DataFileError`` naming the list when two rows have the same identity folder and file name, so
    ///   that a pair image would be ambiguous.
    public init(features: FeatureFile) throws {
        var byName: [String: Int] = [:], byStem: [String: [Int]] = [:]
        for (row, path) in features.paths.enumerated() {
            let key = FeatureFile.imageKey(path)
            let slash = key.lastIndex(of: "/")!
            let folder = key[..<slash], name = String(key[key.index(after: slash)...])
            if let earlier = byName[key] {
                let message = "rows \(earlier + 1) and \(row + 1) are both \(key) ('\(features.paths[earlier])', "
                    + "'\(path)'): pair images would be ambiguous"
                if let url = features.pathsURL { throw DataFileError(url, line: row + 1, message) }
                throw DataError.invalidArgument(message)
            }
            byName[key] = row
            let stem = (name as NSString).deletingPathExtension
            byStem[folder + "/" + stem, default: []].append(row)
        }
        self.features = features
        rowsByName = byName
        rowsByStem = byStem
    }

    /// The rows of the first and second image of every pair, in pair order.
    /// - Parameters:
    ///   - root: when given, the pairs are resolved against this image folder first (every image must
    ///     exist there) and matched by the file names found.
    ///   - allowingMissing: give images without a feature row the row −1 instead of throwing (a photo in which
    ///     no face was found).
    /// - Throws: the resolution's ``DataFileError``, or a ``DataFileError`` naming the pair list, the feature
    ///   list, how many pair images have no feature row and the first of them.
    public func rows(of pairs: PairList, root: URL? = nil, allowingMissing: Bool = false) throws -> [(first: Int, second: Int)] {
        var missing: [String] = []
        var seenMissing: Set<String> = []
        func note(_ name: String) {
            if seenMissing.insert(name).inserted { missing.append(name) }
        }
        var result: [(first: Int, second: Int)] = []
        result.reserveCapacity(pairs.pairs.count)
        if let root {
            for pair in try pairs.resolve(against: root) {
                let keys = [pair.first, pair.second].map {
                    $0.deletingLastPathComponent().lastPathComponent + "/" + $0.lastPathComponent
                }
                let rows = keys.map { rowsByName[$0] }
                for (key, row) in zip(keys, rows) where row == nil { note(key) }
                result.append((rows[0] ?? -1, rows[1] ?? -1))
            }
        } else {
            for pair in pairs.pairs {
                let rows = try [pair.first, pair.second].map { try row(of: $0, line: pair.line, in: pairs) }
                for (image, row) in zip([pair.first, pair.second], rows) where row == nil { note(Self.name(of: image)) }
                result.append((rows[0] ?? -1, rows[1] ?? -1))
            }
        }
        guard missing.isEmpty || allowingMissing else {
            let listed = missing.prefix(10).joined(separator: ", ")
            let more = missing.count > 10 ? " and \(missing.count - 10) more" : ""
            let list = features.pathsURL?.path ?? "the feature list"
            throw DataFileError(pairs.url, "\(missing.count) pair image(s) have no row in \(list): \(listed)\(more)")
        }
        return result
    }

    private func row(of image: PairImage, line: Int, in pairs: PairList) throws -> Int? {
        switch image.reference {
        case .file(let name):
            return rowsByName[image.identity + "/" + name]
        case .number:
            let rows = rowsByStem[Self.name(of: image)] ?? []
            guard rows.count <= 1 else {
                let paths = rows.map { "'\(features.paths[$0])'" }.joined(separator: ", ")
                throw DataFileError(pairs.url, line: line, "image \(image.reference) of \(image.identity) matches "
                    + "several feature rows (\(paths)); pass the image root to pick the file on disk")
            }
            return rows.first
        }
    }

    /// `identity/file` for a named image, `identity/identity_000n` for a numbered one.
    private static func name(of image: PairImage) -> String {
        switch image.reference {
        case .file(let name): image.identity + "/" + name
        case .number(let number): image.identity + "/" + image.identity + "_" + String(format: "%04d", number)
        }
    }
}
