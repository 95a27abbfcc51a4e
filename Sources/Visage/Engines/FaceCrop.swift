import Foundation

/// How an engine wants a face cut: the ArcFace 5-point crop or dlib's face chip.
///
/// A face reaches an engine in one of two ways, and both are handled here: from a photo with dlib's five
/// landmarks (``ShapePredictor``), or as an ArcFace-aligned crop (the datasets' `aligned/` folders). Converting
/// between the two geometries uses ``DlibFivePointAlignment/arcFace112``: where dlib's five points sit in the
/// ArcFace 112×112 frame, measured on real faces.
public enum FaceCrop: Sendable, Equatable, CustomStringConvertible {
    /// The ArcFace template scaled to `size`×`size`, sampled as ``FaceAligner`` does.
    case arcface(size: Int)
    /// dlib's `get_face_chip(image, shape, size, padding)`.
    case dlibChip(size: Int, padding: Double)

    /// The crop's side in pixels.
    public var size: Int {
        switch self {
        case .arcface(let size), .dlibChip(let size, _): size
        }
    }

    public var description: String {
        switch self {
        case .arcface(let size): "ArcFace 5-point crop, \(size)×\(size)"
        case .dlibChip(let size, let padding): "dlib face chip, \(size)×\(size), padding \(padding)"
        }
    }

    /// The face whose dlib landmarks in `photo` are `points`, cut the way this crop wants.
    /// - Throws: ``AlignmentError`` for other than five points or points that define no transform.
    public func cut(_ photo: Image, dlibPoints points: [SIMD2<Double>]) throws -> Image {
        switch self {
        case .arcface(let size):
            return try DlibFivePointAlignment.align(photo, points: points, size: size)
        case .dlibChip(let size, let padding):
            return try DlibChip.extract(photo, DlibChip.details(for: points, size: size, padding: padding))
        }
    }

    /// `aligned`, a face already aligned to the ArcFace template at its own width, re-cut the way this crop
    /// wants: resized for an ArcFace crop of another size, or cut as a dlib chip around the template's dlib
    /// points (a chip cut from a 112×112 crop loses what the crop lost: the chin and the sides of the head).
    public func cut(aligned: Image) throws -> Image {
        switch self {
        case .arcface(let size):
            return aligned.width == size && aligned.height == size
                ? aligned : aligned.resized(width: size, height: size, filter: .area)
        case .dlibChip:
            let scale = Double(aligned.width) / 112
            return try cut(aligned, dlibPoints: DlibFivePointAlignment.arcFace112.map { $0 * scale })
        }
    }
}

/// Another ``FaceSource``'s ArcFace-aligned faces re-cut for an engine by ``FaceCrop/cut(aligned:)``.
public struct CroppedFaceSource: FaceSource {
    public let base: any FaceSource
    public let crop: FaceCrop

    public init(_ base: any FaceSource, crop: FaceCrop) {
        self.base = base
        self.crop = crop
    }

    public var count: Int { base.count }
    public func label(at index: Int) -> Int { base.label(at: index) }
    public func name(at index: Int) -> String { base.name(at: index) }

    public func image(at index: Int) throws -> Image {
        let image = try base.image(at: index)
        do {
            return try crop.cut(aligned: image.channels == 3 ? image : image.converted(toChannels: 3))
        } catch {
            throw DataError.invalidImage(base.name(at: index), "cannot be cut as a \(crop): \(error)")
        }
    }
}
