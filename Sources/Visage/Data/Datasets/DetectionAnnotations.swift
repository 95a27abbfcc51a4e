import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Face boxes annotated on photos, read from dlib's imglab XML (`<image file='…'><box top left width height/>`),
/// the format of dlib's example face sets.
public struct DetectionAnnotations: Sendable {
    /// One annotated photo.
    public struct Photo: Sendable, Equatable {
        /// The photo's path as written in the file, resolved against the file's folder.
        public var url: URL
        /// The faces' boxes; boxes marked `ignore='1'` are left out.
        public var boxes: [FaceBox]
    }

    /// The photos in file order.
    public var photos: [Photo]

    /// Reads the annotations at `url`.
    /// - Throws: ``DataFileError`` for a file that cannot be read or parsed, or a box without its four numbers.
    public init(contentsOf url: URL) throws {
        guard let parser = XMLParser(contentsOf: url) else { throw DataFileError(url, "cannot be read") }
        let collector = Collector(folder: url.deletingLastPathComponent())
        parser.delegate = collector
        guard parser.parse() else {
            throw DataFileError(url, line: parser.lineNumber,
                                collector.failure ?? "is not valid XML: \(parser.parserError.map { "\($0)" } ?? "unknown error")")
        }
        if let failure = collector.failure { throw DataFileError(url, failure) }
        photos = collector.photos
    }

    private final class Collector: NSObject, XMLParserDelegate {
        let folder: URL
        var photos: [Photo] = []
        var failure: String?

        init(folder: URL) { self.folder = folder }

        func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            switch element {
            case "image":
                guard let file = attributes["file"] else { return fail(parser, "an <image> without a file attribute") }
                photos.append(Photo(url: folder.appendingPathComponent(file), boxes: []))
            case "box":
                guard !photos.isEmpty else { return fail(parser, "a <box> outside an <image>") }
                let numbers = ["top", "left", "width", "height"].map { attributes[$0].flatMap { Int($0) } }
                guard let top = numbers[0], let left = numbers[1], let width = numbers[2], let height = numbers[3],
                      width > 0, height > 0 else {
                    return fail(parser, "a <box> needs integer top, left and positive width, height; got \(attributes)")
                }
                if attributes["ignore"] == "1" { return }
                photos[photos.count - 1].boxes.append(
                    FaceBox(left: left, top: top, right: left + width - 1, bottom: top + height - 1))
            default:
                return
            }
        }

        private func fail(_ parser: XMLParser, _ message: String) {
            failure = "line \(parser.lineNumber): \(message)"
            parser.abortParsing()
        }
    }
}
