/// The head's depth seen from the light, so that it casts shadows on itself: the nose on the cheek, brows and
/// sockets over the eyes, hair on the forehead, the chin on the neck.
///
/// An orthographic depth map along the light direction in the head frame, tested with a small bias and a 2×2
/// percentage-closer filter for soft edges.
final class SyntheticShadowMap {
    private static let size = 80
    /// Head pixels per shadow texel.
    private static let texel: Float = 2
    private let depth: UnsafeMutablePointer<Float>
    /// Orthonormal frame: `along` points to the light, `across` and `up` span the map.
    private let across: SIMD3<Float>, up: SIMD3<Float>, along: SIMD3<Float>

    init(_ head: SyntheticHead, light: SIMD3<Float>) {
        along = light
        // Any axis not parallel to the light completes the frame.
        let helper: SIMD3<Float> = abs(light.y) < 0.9 ? SIMD3(0, 1, 0) : SIMD3(1, 0, 0)
        var a = SIMD3(helper.y * light.z - helper.z * light.y, helper.z * light.x - helper.x * light.z,
                      helper.x * light.y - helper.y * light.x)
        a /= (a * a).sum().squareRoot()
        across = a
        up = SIMD3(light.y * a.z - light.z * a.y, light.z * a.x - light.x * a.z, light.x * a.y - light.y * a.x)
        let count = Self.size * Self.size
        depth = .allocate(capacity: count)
        depth.initialize(repeating: -.infinity, count: count)
        rasterize(head)
    }

    deinit {
        depth.deallocate()
    }

    /// The fraction of the light reaching head point `p` with unit normal `n`, 0 (in shadow) ... 1.
    @inline(__always)
    func light(at p: SIMD3<Float>, normal n: SIMD3<Float>) -> Float {
        let facing = (n * along).sum()
        if facing <= 0 { return 1 }    // turned away: the diffuse term is already dark, no need to darken twice
        let (x, y, d) = project(p)
        let fx = x - 0.5, fy = y - 0.5
        let ix = PortableMath.floor(fx), iy = PortableMath.floor(fy)
        let tx = fx - Float(ix), ty = fy - Float(iy)
        // Grazing surfaces change depth fast across a texel: scale the bias with the slope to avoid acne.
        let slope = min((1 - facing * facing).squareRoot() / max(facing, 0.05), 6)
        let bias = Self.texel * (1.2 + 1.5 * slope)
        func open(_ column: Int32, _ row: Int32) -> Float {
            guard column >= 0, row >= 0, column < Int32(Self.size), row < Int32(Self.size) else { return 1 }
            return depth[Int(row) * Self.size + Int(column)] > d + bias ? 0 : 1
        }
        let top = open(ix, iy) * (1 - tx) + open(ix + 1, iy) * tx
        let bottom = open(ix, iy + 1) * (1 - tx) + open(ix + 1, iy + 1) * tx
        return top * (1 - ty) + bottom * ty
    }

    /// Map column, row and depth (larger is nearer the light) of a head point.
    @inline(__always)
    private func project(_ p: SIMD3<Float>) -> (Float, Float, Float) {
        let half = Float(Self.size) / 2
        return ((across * p).sum() / Self.texel + half, (up * p).sum() / Self.texel + half, (along * p).sum())
    }

    private func rasterize(_ head: SyntheticHead) {
        let points = head.vertices.map { project($0.position) }
        let last = Float(Self.size - 1)
        // Only casters matter: surfaces facing the light (whose depth is the nearest anyway), not the neck, and
        // at half the mesh resolution, which soft shadows do not miss.
        for part in head.parts where part.material != .neck {
            let stride = part.columns + 1
            for j in Swift.stride(from: 0, to: part.rows - 1, by: 2) {
                for i in Swift.stride(from: 0, to: part.columns - 1, by: 2) {
                    let a = part.offset + j * stride + i
                    let right = a + 2, diagonal = a + 2 * stride + 2, below = a + 2 * stride
                    for half in 0..<2 {
                        let i1 = half == 0 ? right : diagonal, i2 = half == 0 ? diagonal : below
                        let (x0, y0, z0) = points[a], (x1, y1, z1) = points[i1], (x2, y2, z2) = points[i2]
                        let area = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0)
                        guard part.twoSided ? abs(area) > 1e-7 : area > 1e-7 else { continue }
                        let minX = max(min(x0, x1, x2), 0), maxX = min(max(x0, x1, x2), last)
                        let minY = max(min(y0, y1, y2), 0), maxY = min(max(y0, y1, y2), last)
                        guard minX <= maxX, minY <= maxY else { continue }
                        let inverse = 1 / area
                        // Texel centres at +0.5.
                        var py = Float(PortableMath.floor(minY - 0.5)) + 0.5
                        while py <= maxY + 0.5 {
                            var px = Float(PortableMath.floor(minX - 0.5)) + 0.5
                            while px <= maxX + 0.5 {
                                let w0 = ((x2 - x1) * (py - y1) - (y2 - y1) * (px - x1)) * inverse
                                let w1 = ((x0 - x2) * (py - y2) - (y0 - y2) * (px - x2)) * inverse
                                let w2 = 1 - w0 - w1
                                let column = Int(px), row = Int(py)
                                if w0 >= 0 && w1 >= 0 && w2 >= 0 && px > 0 && py > 0 && column < Self.size && row < Self.size {
                                    let index = row * Self.size + column
                                    let z = w0 * z0 + w1 * z1 + w2 * z2
                                    if z > depth[index] { depth[index] = z }
                                }
                                px += 1
                            }
                            py += 1
                        }
                    }
                }
            }
        }
    }
}
