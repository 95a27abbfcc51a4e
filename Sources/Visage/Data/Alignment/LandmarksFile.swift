import Foundation

/// One row of a landmarks CSV: an image, its identity and its five landmarks.
public struct LandmarkRecord: Sendable, Equatable {
    /// The image path as written in the file (relative paths are relative to the file's folder).
    public var image: String
    public var identity: String
    /// True when a face detector found the face; false when the landmarks were fitted on a fixed box.
    public var detected: Bool
    public var landmarks: FaceLandmarks
    /// The 1-based line of the row in its file.
    public var line: Int
}

/// A `landmarks.csv` file: a header row, then per image `image, identity, detected` and the ten coordinates of
/// the five landmarks in raw-image pixels.
///
/// Columns are found by name, so their order may vary: `image`, `identity`, `detected`, then `left_eye_x`,
/// `left_eye_y`, `right_eye_x`, `right_eye_y`, `nose_x`, `nose_y`, `mouth_left_x`, `mouth_left_y`,
/// `mouth_right_x`, `mouth_right_y`. Other columns are ignored. Fields may be double-quoted.
public struct LandmarksFile: Sendable {
    /// The names of the ten coordinate columns, in ``FaceLandmarks/points`` order (x then y).
    public static let coordinateColumns = [
        "left_eye_x", "left_eye_y", "right_eye_x", "right_eye_y", "nose_x", "nose_y",
        "mouth_left_x", "mouth_left_y", "mouth_right_x", "mouth_right_y",
    ]

    /// Where the file was read from; relative image paths are resolved against its folder.
    public let url: URL
    /// The rows in file order.
    public let records: [LandmarkRecord]
    private let indexByImage: [String: Int]
    private let indexByResolvedPath: [String: Int]

    /// Reads and checks the file.
    /// - Throws: ``DataFileError`` naming the file and line for a missing column, a row with the wrong number of
    ///   fields, a value that is not a finite number, a `detected` that is not 0 or 1, or an image listed twice.
    public init(contentsOf url: URL) throws {
        try self.init(lines: TextLines(contentsOf: url))
    }

    /// Parses `text` as the contents of a landmarks file at `url`.
    public init(parsing text: String, url: URL) throws {
        try self.init(lines: TextLines(text: text, source: url))
    }

    private init(lines file: TextLines) throws {
        let rows = file.nonBlank
        guard let header = rows.first else { throw file.error(line: nil, "the file is empty; expected a header row") }
        let names = try Self.fields(of: header.text, file: file, line: header.number)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        var columnIndex: [String: Int] = [:]
        for (index, name) in names.enumerated() where columnIndex[name] == nil {
            columnIndex[name] = index
        }
        let required = ["image", "identity", "detected"] + Self.coordinateColumns
        let found = required.compactMap { columnIndex[$0] }
        guard found.count == required.count else {
            let missing = required.filter { columnIndex[$0] == nil }
            throw file.error(
                line: header.number,
                "missing column(s) \(missing.joined(separator: ", ")); the header has \(names.joined(separator: ", "))")
        }
        let (imageColumn, identityColumn, detectedColumn) = (found[0], found[1], found[2])
        let coordinateIndices = Array(found.dropFirst(3))
        let folder = file.source.deletingLastPathComponent()

        var records: [LandmarkRecord] = []
        var indexByImage: [String: Int] = [:]
        var indexByResolvedPath: [String: Int] = [:]
        for (number, text) in rows.dropFirst() {
            let fields = try Self.fields(of: text, file: file, line: number)
            guard fields.count == names.count else {
                throw file.error(line: number, "expected \(names.count) fields as in the header, found \(fields.count)")
            }
            let image = fields[imageColumn]
            guard !image.isEmpty else { throw file.error(line: number, "the image path is empty") }
            let detected: Bool
            switch fields[detectedColumn].trimmingCharacters(in: .whitespaces) {
            case "1": detected = true
            case "0": detected = false
            case let value: throw file.error(line: number, "detected must be 0 or 1, found '\(value)'")
            }
            var values: [Double] = []
            for (name, index) in zip(Self.coordinateColumns, coordinateIndices) {
                let raw = fields[index].trimmingCharacters(in: .whitespaces)
                guard let value = Double(raw), value.isFinite else {
                    throw file.error(line: number, "\(name) must be a finite number, found '\(raw)'")
                }
                values.append(value)
            }
            let points = stride(from: 0, to: 10, by: 2).map { SIMD2(values[$0], values[$0 + 1]) }
            if let previous = indexByImage[image] {
                throw file.error(line: number, "image \(image) is listed again (first on line \(records[previous].line))")
            }
            indexByImage[image] = records.count
            indexByResolvedPath[URL.resolving(image, against: folder).path] = records.count
            records.append(LandmarkRecord(
                image: image, identity: fields[identityColumn], detected: detected,
                landmarks: try FaceLandmarks(points: points), line: number))
        }
        self.url = file.source
        self.records = records
        self.indexByImage = indexByImage
        self.indexByResolvedPath = indexByResolvedPath
    }

    /// The record whose image is written exactly as `path` in the file.
    public func record(forImage path: String) -> LandmarkRecord? {
        indexByImage[path].map { records[$0] }
    }

    /// The record for the image file at `url`: the row whose path, resolved against this file's folder, is `url`;
    /// failing that, the row written as `url`'s path relative to `imagesRoot`.
    public func record(forImageAt url: URL, imagesRoot: URL? = nil) -> LandmarkRecord? {
        if let index = indexByResolvedPath[url.standardizedFileURL.path] { return records[index] }
        guard let imagesRoot, let relative = url.pathInside(imagesRoot) else { return nil }
        return record(forImage: relative)
    }

    /// Where `record`'s image is: its path resolved against this file's folder.
    public func imageURL(of record: LandmarkRecord) -> URL {
        URL.resolving(record.image, against: url.deletingLastPathComponent())
    }

    /// The comma-separated fields of one CSV row; a field in double quotes may contain commas and `""`.
    static func fields(of line: Substring, file: TextLines, line number: Int) throws -> [String] {
        if !line.contains("\"") {
            return line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        var fields: [String] = []
        var current = ""
        var quoted = false
        var iterator = line.makeIterator()
        var atFieldStart = true
        while let character = iterator.next() {
            if quoted {
                if character == "\"" {
                    var lookahead = iterator
                    if lookahead.next() == "\"" {
                        current.append("\"")
                        iterator = lookahead
                    } else {
                        quoted = false
                    }
                } else {
                    current.append(character)
                }
            } else if character == "," {
                fields.append(current)
                current = ""
                atFieldStart = true
                continue
            } else if character == "\"" && atFieldStart {
                quoted = true
            } else {
                current.append(character)
            }
            atFieldStart = false
        }
        guard !quoted else { throw file.error(line: number, "a quoted field is not closed") }
        fields.append(current)
        return fields
    }
}
