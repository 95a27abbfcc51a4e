/// One identity's head, prepared for rendering: a triangle mesh with per-vertex texture coordinates, hair and
/// beard regions and ambient occlusion, and a lookup grid of its skin marks.
///
/// Building it costs about half a render (around a millisecond), so render many photos of one identity from one
/// `SyntheticHead` (the dataset writer does). It is an immutable value and safe to share across threads.
public struct SyntheticHead: Sendable {
    /// What a part of the mesh is made of.
    enum Material: UInt8 {
        case skin = 1, neck, ear, hair
    }

    /// A grid of `(columns + 1) × (rows + 1)` vertices starting at `offset`, triangulated quad by quad.
    struct Part: Sendable {
        let offset: Int
        let columns: Int
        let rows: Int
        let material: Material
        /// Drawn from both sides (the back curtain of long hair); otherwise back faces are culled.
        let twoSided: Bool
    }

    /// The attributes of one mesh vertex.
    struct Vertex: Sendable {
        var position: SIMD3<Float>
        var normal: SIMD3<Float>
        /// The undisplaced surface point: where facial features and textures are evaluated.
        var texture: SIMD3<Float>
        /// Signed distances into the hair and beard regions (head pixels, positive inside).
        var hair: Float
        var beard: Float
        /// Ambient light reaching the vertex, 0...1.
        var occlusion: Float
        /// Degrees from the front around the head.
        var longitude: Float
        /// Factors turning `SyntheticHairline`'s rough distances into pixels, for per-pixel hairlines.
        var hairScale: Float
        var beardScale: Float
    }

    /// The identity this head was built from.
    public let identity: SyntheticIdentity
    let shape: SyntheticHeadShape
    let hairline: SyntheticHairline
    let vertices: [Vertex]
    let parts: [Part]
    let marks: SyntheticMarkGrid

    /// Prepares `identity` for rendering.
    public init(_ identity: SyntheticIdentity) {
        self.identity = identity
        let shape = SyntheticHeadShape(identity)
        let hairline = SyntheticHairline(identity)
        self.shape = shape
        self.hairline = hairline
        var mesh = MeshBuilder()
        mesh.appendHead(shape, hairline)
        mesh.appendNeck(shape)
        let longHair = [.bob, .long, .curly].contains(identity.hairStyle)
        if longHair {
            mesh.appendHairCurtain(shape)
        } else {
            mesh.appendEar(shape, side: -1)
            mesh.appendEar(shape, side: 1)
        }
        vertices = mesh.vertices
        parts = mesh.parts
        marks = SyntheticMarkGrid(identity.marks)
    }

    /// The five landmarks in head coordinates for an expression: left eye, right eye, nose tip, left and right
    /// mouth corner ("left" is the image left).
    func landmarks(_ expression: SyntheticExpression) -> [SIMD3<Double>] {
        let id = identity
        let mouthY = id.mouthDrop - id.mouthCurve - SyntheticShader.smileLift * expression.smile
        let mouthX = id.mouthHalfWidth * (1 + SyntheticShader.smileWidening * expression.smile)
        let points: [SIMD2<Double>] = [
            SIMD2(-id.eyeHalfSpacing, -id.eyeAsymmetry / 2), SIMD2(id.eyeHalfSpacing, id.eyeAsymmetry / 2),
            SIMD2(id.noseOffset, id.noseTipDrop), SIMD2(-mouthX, mouthY), SIMD2(mouthX, mouthY),
        ]
        return points.map { SIMD3($0.x, $0.y, shape.frontDepth(x: $0.x, y: $0.y)) }
    }
}

/// Accumulates the vertices of the head's parts.
private struct MeshBuilder {
    var vertices: [SyntheticHead.Vertex] = []
    var parts: [SyntheticHead.Part] = []

    /// The skull and face: longitudes warped to be densest at the front, latitudes densest at mid-face.
    mutating func appendHead(_ shape: SyntheticHeadShape, _ hairline: SyntheticHairline) {
        let columns = 64, rows = 60
        let offset = vertices.count
        let id = shape.identity
        let columnInfo: [(direction: (x: Double, z: Double), longitude: Double)] = (0...columns).map { i in
            let u = -1 + 2 * Double(i) / Double(columns)
            let theta = Double.pi * (0.62 * u + 0.38 * u * u * u)
            let (s, c) = PortableMath.sinCos(theta)
            return (SyntheticHeadShape.sliceDirection(sin: s, cos: c), abs(theta) * 180 / Double.pi)
        }
        let rowInfo: [(t: Double, extents: (width: Double, depthFront: Double, depthBack: Double))] = (0...rows).map { j in
            let w = -1 + 2 * Double(j) / Double(rows)
            let phi = Double.pi / 2 * (0.72 * w + 0.28 * w * w * w)
            let t = j == 0 ? -1 : j == rows ? 1 : PortableMath.sinCos(phi).sin
            return (t, shape.sliceExtents(t))
        }
        let stride = columns + 1
        let count = stride * (rows + 1)
        var textures: [SIMD3<Double>] = []
        var surface: [SIMD3<Double>] = []
        var shade: [Float] = []
        var rawHair: [Float] = []
        var rawBeard: [Float] = []
        textures.reserveCapacity(count)
        surface.reserveCapacity(count)
        for j in 0...rows {
            for i in 0...columns {
                let p = shape.basePoint(t: rowInfo[j].t, extents: rowInfo[j].extents, direction: columnInfo[i].direction)
                var relieved = p
                var ao: Float = 1
                if p.z > 0 {
                    let weight = Float(PortableMath.smoothstep(0.1, 0.45, columnInfo[i].direction.z))
                    let relief = shape.relief(Float(p.x), Float(p.y))
                    relieved.z += Double(relief.depth * weight)
                    ao += relief.shade * weight
                }
                textures.append(p)
                surface.append(relieved)
                shade.append(ao)
                let longitude = Float(columnInfo[i].longitude)
                rawHair.append(hairline.hair(Float(p.x), Float(p.y), longitude: longitude))
                rawBeard.append(hairline.beard(Float(p.x), Float(p.y), longitude: longitude))
            }
        }
        let (hairField, hairScale) = Self.normalizedDistance(rawHair, surface, stride: stride, rows: rows)
        let (beardField, beardScale) = Self.normalizedDistance(rawBeard, surface, stride: stride, rows: rows)
        var displaced = surface
        for k in 0..<count {
            let normal = shape.baseNormal(textures[k])
            // The volume rises only inside the hairline, so its slope is drawn in hair, not skin.
            displaced[k] += normal * (id.hairVolume * Double(PortableMath.smoothstep(0.5, 4.5, hairField[k])))
            if id.beard == .full {
                displaced[k] += normal * (1.3 * Double(PortableMath.smoothstep(-1, 2, beardField[k])))
            }
        }
        for j in 0...rows {
            for i in 0...columns {
                let k = j * stride + i
                let normal = Self.gridNormal(displaced, i: i, j: j, columns: columns, rows: rows,
                                             fallback: SIMD3<Float>(shape.baseNormal(textures[k])))
                vertices.append(.init(position: SIMD3<Float>(displaced[k]), normal: normal,
                                      texture: SIMD3<Float>(textures[k]), hair: hairField[k], beard: beardField[k],
                                      occlusion: shade[k], longitude: Float(columnInfo[i].longitude),
                                      hairScale: hairScale[k], beardScale: beardScale[k]))
            }
        }
        parts.append(.init(offset: offset, columns: columns, rows: rows, material: .skin, twoSided: false))
    }

    /// An elliptic cylinder from under the skull down past the frame.
    mutating func appendNeck(_ shape: SyntheticHeadShape) {
        let rx = shape.halfWidth * 0.6, rz = shape.depthFront * 0.6, centerZ = -shape.depthFront * 0.12
        let top = shape.chin * 0.2, bottom = shape.chin + 75
        appendGrid(columns: 24, rows: 6, material: .neck, twoSided: false) { u, v in
            let (s, c) = PortableMath.sinCos(Double.pi * (2 * u - 1))
            let y = top + (bottom - top) * v
            let p = SIMD3(rx * s, y, centerZ + rz * c)
            let n = SIMD3(s / rx, 0, c / rz)
            let ao = 0.45 + 0.5 * PortableMath.smoothstep(shape.chin - 8, shape.chin + 24, y)
            return (p, n / (n * n).sum().squareRoot(), ao, -20)
        }
    }

    /// A flattened ellipsoid on one side of the head, its hollow darker.
    mutating func appendEar(_ shape: SyntheticHeadShape, side: Double) {
        let scale = shape.identity.earScale
        let y = 9.0
        let extents = shape.sliceExtents(y / shape.chin)
        let center = SIMD3(side * (shape.halfWidth * extents.width - 0.5), y, -3)
        let radii = SIMD3(3.2, 11 * scale, 6.5 * scale)
        appendGrid(columns: 14, rows: 10, material: .ear, twoSided: false) { u, v in
            let (s, c) = PortableMath.sinCos(Double.pi * (2 * u - 1))
            let (sp, cp) = PortableMath.sinCos(Double.pi * (v - 0.5))
            let unit = SIMD3(s * cp, sp, c * cp)
            let p = center + unit * radii
            var n = unit / radii
            n /= (n * n).sum().squareRoot()
            let outward = unit.x * side
            let hollow = outward > 0.2 ? 0.4 * PortableMath.exp(-(sp * sp / 0.18 + c * c * cp * cp / 0.25)) : 0
            return (p, n, 1 - hollow, -20)
        }
    }

    /// Long hair falling behind the head and neck, seen around the face.
    mutating func appendHairCurtain(_ shape: SyntheticHeadShape) {
        let id = shape.identity
        let volume = id.hairVolume
        let curly = id.hairStyle == .curly
        let bottom: Double = switch id.hairStyle {
        case .bob: shape.chin + 4
        case .curly: shape.chin + 2
        default: shape.chin + 80
        }
        let top = -shape.crown * 0.25
        appendGrid(columns: 28, rows: 12, material: .hair, twoSided: true) { u, v in
            let theta = (62 + 236 * u) * Double.pi / 180
            let (s, c) = PortableMath.sinCos(theta)
            let y = top + (bottom - top) * v
            // Curly hair rounds off into a ball; straight hair flares a little as it falls.
            let flare = curly ? 1.1 * (1 - 0.45 * v * v * v) : 1 + 0.08 * max(0, y) / shape.chin
            let rx = (shape.halfWidth + volume + 1) * flare, rz = (shape.depthBack * 0.85 + volume) * flare
            let p = SIMD3(rx * s, y, -4 + rz * c)
            let n = SIMD3(s / rx, 0, c / rz)
            return (p, n / (n * n).sum().squareRoot(), 0.85, 20)
        }
    }

    /// Appends a grid whose vertex (u, v) ∈ [0, 1]² gives position, normal, occlusion and hair distance;
    /// texture coordinates are the positions, and there is no beard.
    private mutating func appendGrid(columns: Int, rows: Int, material: SyntheticHead.Material, twoSided: Bool,
                                     _ vertex: (Double, Double) -> (SIMD3<Double>, SIMD3<Double>, Double, Float)) {
        let offset = vertices.count
        for j in 0...rows {
            for i in 0...columns {
                let (p, n, ao, hair) = vertex(Double(i) / Double(columns), Double(j) / Double(rows))
                vertices.append(.init(position: SIMD3<Float>(p), normal: SIMD3<Float>(n), texture: SIMD3<Float>(p),
                                      hair: hair, beard: -20, occlusion: Float(ao), longitude: 0,
                                      hairScale: 1, beardScale: 1))
            }
        }
        parts.append(.init(offset: offset, columns: columns, rows: rows, material: material, twoSided: twoSided))
    }

    /// A field divided by its surface gradient, so that it reads as a distance in pixels near its zero line
    /// (whatever the grid spacing), clamped to ±12; and the factor it was multiplied by.
    private static func normalizedDistance(_ field: [Float], _ points: [SIMD3<Double>], stride: Int, rows: Int)
        -> (distance: [Float], scale: [Float]) {
        let columns = stride - 1
        var result = [Float](repeating: 0, count: field.count)
        var scales = [Float](repeating: 1, count: field.count)
        for j in 0...rows {
            for i in 0...columns {
                let k = j * stride + i
                let left = j * stride + (i == 0 ? columns - 1 : i - 1)
                let right = j * stride + (i == columns ? 1 : i + 1)
                let up = max(j - 1, 0) * stride + i, down = min(j + 1, rows) * stride + i
                var gradient = 0.0
                for (a, b) in [(left, right), (up, down)] {
                    let d = points[b] - points[a]
                    let length = (d * d).sum().squareRoot()
                    if length > 1e-6 {
                        let g = Double(field[b] - field[a]) / length
                        gradient += g * g
                    }
                }
                let scale = Float(1 / max(gradient.squareRoot(), 0.05))
                scales[k] = scale
                result[k] = min(max(field[k] * scale, -12), 12)
            }
        }
        return (result, scales)
    }

    /// The outward normal of a grid vertex from its neighbours (wrapping around in longitude).
    private static func gridNormal(_ points: [SIMD3<Double>], i: Int, j: Int, columns: Int, rows: Int,
                                   fallback: SIMD3<Float>) -> SIMD3<Float> {
        let stride = columns + 1
        let left = i == 0 ? columns - 1 : i - 1
        let right = i == columns ? 1 : i + 1
        let along = points[j * stride + right] - points[j * stride + left]
        let across = points[min(j + 1, rows) * stride + i] - points[max(j - 1, 0) * stride + i]
        let n = SIMD3(along.y * across.z - along.z * across.y, along.z * across.x - along.x * across.z,
                      along.x * across.y - along.y * across.x)
        let length = (n * n).sum().squareRoot()
        return length > 1e-9 ? SIMD3<Float>(n / length) : fallback
    }
}
