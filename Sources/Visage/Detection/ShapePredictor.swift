import Foundation

/// dlib's shape predictor (`dlib::shape_predictor`): a cascade of regression-tree forests (Kazemi & Sullivan,
/// "One Millisecond Face Alignment with an Ensemble of Regression Trees", 2014) that places a face's landmarks
/// inside a detector's box, read from dlib's `.dat` files and run natively, giving dlib's landmarks exactly.
///
/// For `shape_predictor_5_face_landmarks.dat` (15 cascades of 500 depth-4 trees, 800 feature pixels per
/// cascade) the five points are, with left and right as seen in the image (the subject's left eye is on the
/// image's right):
/// 0. right eye, outer corner (the 68-point model's point 45);
/// 1. right eye, inner corner (42);
/// 2. left eye, outer corner (36);
/// 3. left eye, inner corner (39);
/// 4. base of the nose, below the tip (33).
///
/// Each cascade samples its feature pixels relative to the current shape: a point stored as an anchor landmark
/// plus an offset in the mean shape's normalised frame is moved with the similarity that takes the mean shape
/// onto the current one, mapped into the image through the box, rounded to the nearest pixel, and read as a
/// grey level (RGB as ⌊(r + g + b)/3⌋; 0 outside the image). The arithmetic follows dlib's types — float32
/// shapes, offsets and pixel values, a float64 box mapping — so the result matches dlib's bit for bit.
public struct ShapePredictor: Sendable {
    /// One level of the cascade: its trees and the feature pixels they compare.
    struct Cascade: Sendable {
        var trees: [RegressionTree]
        /// Landmark each feature pixel is anchored to.
        var anchors: [Int]
        /// Each feature pixel's offset from its anchor in the mean shape's normalised frame.
        var deltas: [SIMD2<Float>]
    }

    /// The mean shape in the box's normalised frame ((0, 0) top-left corner, (1, 1) bottom-right corner),
    /// x and y interleaved.
    public let meanShape: [Float]
    let cascades: [Cascade]

    /// Number of landmarks the model places.
    public var partCount: Int { meanShape.count / 2 }

    /// Number of cascade levels.
    public var cascadeCount: Int { cascades.count }

    /// Number of trees over all levels.
    public var treeCount: Int { cascades.reduce(0) { $0 + $1.trees.count } }

    /// The model in dlib's serialised file `url` (for example `shape_predictor_5_face_landmarks.dat`).
    /// - Throws: ``DataFileError`` naming the file and byte offset when it is unreadable, truncated, of another
    ///   version, or inconsistent (incomplete trees, indices out of range, leaves of the wrong length).
    public static func load(from url: URL) throws -> ShapePredictor {
        var archive = try DlibArchive(contentsOf: url)
        return try read(from: &archive)
    }

    /// The model serialised in `archive`, which must hold nothing after it.
    public static func read(from archive: inout DlibArchive) throws -> ShapePredictor {
        let version = try archive.readInt("a shape_predictor version", in: 0...Int(Int32.max))
        guard version == 1 else {
            throw archive.error("is shape_predictor version \(version); only version 1 is known")
        }
        let initial = try archive.readMatrix()
        guard initial.columns == 1, initial.rows > 0, initial.rows % 2 == 0 else {
            throw archive.error(
                "has a \(initial.rows)×\(initial.columns) initial shape; an even-length column expected")
        }
        let length = initial.rows

        let forestCount = try archive.readCount("a cascade count")
        var forests = [[RegressionTree]]()
        forests.reserveCapacity(forestCount)
        for level in 0..<forestCount {
            let treeCount = try archive.readCount("a tree count in cascade \(level)")
            var trees = [RegressionTree]()
            trees.reserveCapacity(treeCount)
            for index in 0..<treeCount {
                let start = archive.offset
                let splitCount = try archive.readCount("a split count", minimumBytes: 5)
                var splits = [RegressionTree.Split]()
                splits.reserveCapacity(splitCount)
                for _ in 0..<splitCount {
                    let first = try archive.readInt("a feature index", in: 0...Int(Int32.max))
                    let second = try archive.readInt("a feature index", in: 0...Int(Int32.max))
                    splits.append(.init(first: first, second: second, threshold: try archive.readFloat()))
                }
                let leafCount = try archive.readCount("a leaf count", minimumBytes: 3)
                var leaves = [[Float]]()
                leaves.reserveCapacity(leafCount)
                for _ in 0..<leafCount {
                    let leaf = try archive.readMatrix()
                    guard leaf.rows * leaf.columns == length, leaf.columns == 1 else {
                        throw archive.error("has a \(leaf.rows)×\(leaf.columns) leaf in cascade \(level), "
                            + "tree \(index); a \(length)×1 column expected")
                    }
                    leaves.append(leaf.values)
                }
                guard let tree = RegressionTree(splits: splits, leaves: leaves, leafLength: length) else {
                    throw DataFileError(archive.file, "has an incomplete tree (\(splitCount) splits, "
                        + "\(leafCount) leaves) in cascade \(level), tree \(index), at byte \(start)")
                }
                trees.append(tree)
            }
            forests.append(trees)
        }

        let anchorCount = try archive.readCount("an anchor list count")
        guard anchorCount == forestCount else {
            throw archive.error("has \(anchorCount) anchor lists for \(forestCount) cascades")
        }
        var anchors = [[Int]]()
        for _ in 0..<anchorCount {
            let count = try archive.readCount("an anchor count")
            var list = [Int]()
            list.reserveCapacity(count)
            for _ in 0..<count { list.append(try archive.readInt("an anchor landmark", in: 0...(length / 2 - 1))) }
            anchors.append(list)
        }
        let deltaCount = try archive.readCount("an offset list count")
        guard deltaCount == forestCount else {
            throw archive.error("has \(deltaCount) offset lists for \(forestCount) cascades")
        }
        var cascades = [Cascade]()
        for level in 0..<deltaCount {
            let count = try archive.readCount("an offset count", minimumBytes: 4)
            guard count == anchors[level].count else {
                throw archive.error("has \(count) offsets but \(anchors[level].count) anchors in cascade \(level)")
            }
            var deltas = [SIMD2<Float>]()
            deltas.reserveCapacity(count)
            for _ in 0..<count { deltas.append(SIMD2(try archive.readFloat(), try archive.readFloat())) }
            for (index, tree) in forests[level].enumerated() {
                if let split = tree.splits.first(where: { max($0.first, $0.second) >= count }) {
                    throw DataFileError(archive.file, "has a split on feature \(max(split.first, split.second)) in "
                        + "cascade \(level), tree \(index), which samples only \(count) pixels")
                }
            }
            cascades.append(Cascade(trees: forests[level], anchors: anchors[level], deltas: deltas))
        }
        guard archive.isAtEnd else { throw archive.error("has data after the shape predictor") }
        return ShapePredictor(meanShape: initial.values, cascades: cascades)
    }

    /// The landmarks of the face in `box` of `image`, in dlib's order (see the type's notes) and dlib's integer
    /// pixel coordinates: (x, y) is the centre of column x, row y. Add 0.5 to each coordinate for Visage's
    /// continuous convention (``FaceLandmarks``).
    ///
    /// Gray, RGB and RGBA images are accepted; colour is read as ⌊(r + g + b)/3⌋, alpha ignored.
    public func predict(_ image: Image, box: FaceBox) -> [SIMD2<Double>] {
        // Box mapping (dlib's unnormalizing_tform): (0, 0) → top-left corner, (1, 1) → bottom-right corner.
        let scale = SIMD2(Double(box.right - box.left), Double(box.bottom - box.top))
        let origin = SIMD2(Double(box.left), Double(box.top))
        var shape = meanShape
        var features = [Float]()
        for cascade in cascades {
            let (m00, m01, m10, m11) = Self.similarity(from: meanShape, to: shape)
            features.removeAll(keepingCapacity: true)
            for (anchor, delta) in zip(cascade.anchors, cascade.deltas) {
                let x = (m00 * delta.x + m01 * delta.y) + shape[2 * anchor]
                let y = (m10 * delta.x + m11 * delta.y) + shape[2 * anchor + 1]
                let column = Self.round(scale.x * Double(x) + origin.x)
                let row = Self.round(scale.y * Double(y) + origin.y)
                features.append(Self.intensity(image, column: column, row: row))
            }
            features.withUnsafeBufferPointer { values in
                shape.withUnsafeMutableBufferPointer { current in
                    for tree in cascade.trees {
                        let leaf = tree.leaf(for: values)
                        tree.leafValues.withUnsafeBufferPointer { leaves in
                            let base = leaf * tree.leafLength
                            for index in 0..<current.count { current[index] += leaves[base + index] }
                        }
                    }
                }
            }
        }
        return (0..<partCount).map { part in
            SIMD2(Double(Self.round(scale.x * Double(shape[2 * part]) + origin.x)),
                  Double(Self.round(scale.y * Double(shape[2 * part + 1]) + origin.y)))
        }
    }

    /// dlib's conversion of a float64 coordinate to a pixel index: ⌊v + 0.5⌋.
    static func round(_ value: Double) -> Int {
        let rounded = (value + 0.5).rounded(.down)
        return rounded.isFinite && abs(rounded) < 1e15 ? Int(rounded) : Int.min
    }

    /// The grey level at (`column`, `row`), 0 outside the image.
    static func intensity(_ image: Image, column: Int, row: Int) -> Float {
        guard column >= 0, row >= 0, column < image.width, row < image.height else { return 0 }
        let index = (row * image.width + column) * image.channels
        if image.channels == 1 { return Float(image.pixels[index]) }
        let sum = Int(image.pixels[index]) + Int(image.pixels[index + 1]) + Int(image.pixels[index + 2])
        return Float(sum / 3)
    }

    /// The linear part of the least-squares similarity taking shape `from` onto shape `to` (dlib's
    /// `find_tform_between_shapes`), computed in float64 and rounded to float32 as dlib does.
    ///
    /// dlib solves Umeyama's problem by an SVD; in two dimensions its answer is the closed form
    /// [[a, −b], [b, a]] with a = Σ u·v / Σ|u|², b = Σ u×v / Σ|u|² over the centred points u of `from` and v
    /// of `to`, identical up to float64 rounding, which the float32 result absorbs.
    static func similarity(from: [Float], to: [Float]) -> (Float, Float, Float, Float) {
        let count = from.count / 2
        if count < 2 { return (1, 0, 0, 1) }
        var meanFrom = SIMD2<Double>.zero, meanTo = SIMD2<Double>.zero
        for index in 0..<count {
            meanFrom += SIMD2(Double(from[2 * index]), Double(from[2 * index + 1]))
            meanTo += SIMD2(Double(to[2 * index]), Double(to[2 * index + 1]))
        }
        meanFrom /= Double(count)
        meanTo /= Double(count)
        var spread = 0.0, dot = 0.0, cross = 0.0
        for index in 0..<count {
            let u = SIMD2(Double(from[2 * index]), Double(from[2 * index + 1])) - meanFrom
            let v = SIMD2(Double(to[2 * index]), Double(to[2 * index + 1])) - meanTo
            spread += u.x * u.x + u.y * u.y
            dot += u.x * v.x + u.y * v.y
            cross += u.x * v.y - u.y * v.x
        }
        guard spread > 0 else { return (1, 0, 0, 1) }
        let a = Float(dot / spread), b = Float(cross / spread)
        return (a, -b, b, a)
    }
}
