import Foundation

/// A verification protocol in LFW's pair-file format.
///
/// Two layouts are read:
/// - View 2 (`pairs.txt`, and the ORL and Yale B files): a first line `folds perFold`, then for each fold
///   `perFold` matched lines `name a b` followed by `perFold` mismatched lines `name1 a name2 b`;
/// - View 1 (`pairsDevTrain.txt`, `pairsDevTest.txt`): a first line `N`, then `N` matched and `N` mismatched
///   lines, read as a single fold.
///
/// Images are written either as LFW's 1-based numbers (`Abel_Pacheco 1 4`) or as file names within the
/// identity's folder (`s1 1.png 6.png`); a field of digits only is a number. Fields are separated by tabs or spaces.
public struct PairList: Sendable {
    /// Where the list was read from.
    public let url: URL
    /// Number of folds (1 for a View 1 file).
    public let foldCount: Int
    /// Matched pairs per fold, which is also the number of mismatched pairs per fold.
    public let pairsPerFold: Int
    /// Every pair in file order: fold by fold, matched before mismatched within each.
    public let pairs: [FacePair]

    /// Reads the pair file at `url`.
    /// - Throws: ``DataFileError`` naming the line of a malformed header or pair (wrong field count for its
    ///   position, an image number below 1, a mismatched pair naming one identity twice), and when the file has
    ///   fewer or more pairs than its header announces.
    public init(contentsOf url: URL) throws {
        try self.init(lines: TextLines(contentsOf: url))
    }

    /// Parses `text` as the contents of a pair file at `url`.
    public init(parsing text: String, url: URL) throws {
        try self.init(lines: TextLines(text: text, source: url))
    }

    private init(lines file: TextLines) throws {
        let rows = file.nonBlank
        guard let header = rows.first else { throw file.error(line: nil, "the file is empty") }
        let headerFields = header.text.fields
        let counts = headerFields.map { Int($0) }
        let foldCount: Int, perFold: Int
        switch counts.count {
        case 1 where (counts[0] ?? 0) > 0:
            (foldCount, perFold) = (1, counts[0] ?? 0)
        case 2 where (counts[0] ?? 0) > 0 && (counts[1] ?? 0) > 0:
            (foldCount, perFold) = (counts[0] ?? 0, counts[1] ?? 0)
        default:
            throw file.error(line: header.number, "expected a header 'folds pairsPerFold' or 'pairCount' of positive "
                + "integers, found '\(header.text)'")
        }
        let body = rows.dropFirst()
        // The counts must multiply to the lines present; compare without overflowing on absurd headers.
        let (pairsInFolds, overflowA) = foldCount.multipliedReportingOverflow(by: perFold)
        let (lineCount, overflowB) = pairsInFolds.multipliedReportingOverflow(by: 2)
        guard !overflowA, !overflowB else {
            throw file.error(line: header.number, "the header '\(header.text)' announces more pairs than any file holds; "
                + "\(body.count) lines follow")
        }
        let expected = lineCount
        guard body.count == expected else {
            let what = foldCount == 1 && counts.count == 1
                ? "\(perFold) matched and \(perFold) mismatched pairs"
                : "\(foldCount) folds × (\(perFold) matched + \(perFold) mismatched) pairs"
            if body.count < expected {
                throw file.error(line: nil, "the header announces \(what) = \(expected) lines, but only \(body.count) follow")
            }
            let extra = body[body.startIndex + expected]
            throw file.error(line: extra.number, "the header announces \(what) = \(expected) lines; this one is beyond them")
        }

        var pairs: [FacePair] = []
        pairs.reserveCapacity(expected)
        for (offset, row) in body.enumerated() {
            let fold = offset / (2 * perFold)
            let isMatch = offset % (2 * perFold) < perFold
            pairs.append(try Self.pair(row.text, line: row.number, fold: fold, isMatch: isMatch, file: file))
        }
        self.url = file.source
        self.foldCount = foldCount
        self.pairsPerFold = perFold
        self.pairs = pairs
    }

    private static func pair(_ text: Substring, line: Int, fold: Int, isMatch: Bool, file: TextLines) throws -> FacePair {
        let fields = text.fields.map(String.init)
        func reference(_ field: String) throws -> PairImageReference {
            guard !field.isEmpty, field.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
                return .file(field)
            }
            guard let number = Int(field), number >= 1 else {
                throw file.error(line: line, "image numbers are 1-based, found '\(field)'")
            }
            return .number(number)
        }
        if isMatch {
            guard fields.count == 3 else {
                throw file.error(line: line, "fold \(fold + 1) expects a matched pair 'name a b' here, found "
                    + "\(fields.count) fields: '\(text)'")
            }
            return FacePair(
                first: PairImage(identity: fields[0], reference: try reference(fields[1])),
                second: PairImage(identity: fields[0], reference: try reference(fields[2])),
                isMatch: true, fold: fold, line: line)
        }
        guard fields.count == 4 else {
            throw file.error(line: line, "fold \(fold + 1) expects a mismatched pair 'name1 a name2 b' here, found "
                + "\(fields.count) fields: '\(text)'")
        }
        guard fields[0] != fields[2] else {
            throw file.error(line: line, "a mismatched pair names \(fields[0]) on both sides")
        }
        return FacePair(
            first: PairImage(identity: fields[0], reference: try reference(fields[1])),
            second: PairImage(identity: fields[2], reference: try reference(fields[3])),
            isMatch: false, fold: fold, line: line)
    }

    /// The pairs of fold `fold` (0-based).
    public func pairs(inFold fold: Int) -> [FacePair] {
        pairs.filter { $0.fold == fold }
    }

    /// Every identity the pairs name.
    public var identities: Set<String> {
        Set(pairs.flatMap { [$0.first.identity, $0.second.identity] })
    }

    /// The pairs with their images found under `root` (`root/<identity>/<image>`).
    ///
    /// A numbered image `n` of `name` is the file `name_000n` (four digits at least) with any image extension.
    /// - Throws: ``DataFileError`` naming the line of the first pair whose identity folder or image is missing.
    public func resolve(against root: URL) throws -> [ResolvedPair] {
        var resolver = PairImageResolver(root: root.standardizedFileURL)
        return try pairs.map { pair in
            ResolvedPair(
                first: try resolver.url(of: pair.first, line: pair.line, in: self),
                second: try resolver.url(of: pair.second, line: pair.line, in: self),
                isMatch: pair.isMatch, fold: pair.fold, line: pair.line)
        }
    }
}

/// Finds pair images on disk, listing each identity folder at most once.
private struct PairImageResolver {
    let root: URL
    /// File names of each identity folder seen so far; nil for an identity without a folder.
    private var listings: [String: Set<String>?] = [:]

    init(root: URL) {
        self.root = root
    }

    mutating func url(of image: PairImage, line: Int, in list: PairList) throws -> URL {
        let folder = root.appendingPathComponent(image.identity, isDirectory: true)
        guard let names = listing(of: image.identity, folder: folder) else {
            throw DataFileError(list.url, line: line, "identity \(image.identity) has no folder under \(root.path)")
        }
        switch image.reference {
        case .file(let name):
            let url = folder.appendingPathComponent(name)
            guard names.contains(name) || FileManager.default.fileExists(atPath: url.path) else {
                throw DataFileError(list.url, line: line, "image \(image.identity)/\(name) not found under \(root.path)")
            }
            return url
        case .number(let number):
            let stem = image.identity + "_" + String(format: "%04d", number)
            let extensions = ImageFolder.imageExtensions.sorted()
            let candidates = extensions.map { stem + "." + $0 } + extensions.map { stem + "." + $0.uppercased() }
            guard let name = candidates.first(where: names.contains) else {
                throw DataFileError(list.url, line: line, "image \(number) of \(image.identity) (\(image.identity)/"
                    + "\(stem).jpg or another image extension) not found under \(root.path)")
            }
            return folder.appendingPathComponent(name)
        }
    }

    private mutating func listing(of identity: String, folder: URL) -> Set<String>? {
        if let cached = listings[identity] { return cached }
        var isDirectory: ObjCBool = false
        let names: Set<String>?
        if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue {
            names = Set((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
        } else {
            names = nil
        }
        listings[identity] = names
        return names
    }
}
