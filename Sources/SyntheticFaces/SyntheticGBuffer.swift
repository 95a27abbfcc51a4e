/// The visible surface of a head for one photo: per output pixel, the nearest triangle's vertices, barycentric
/// weights, depth and material, from a z-buffered rasterization sampled at pixel centres.
///
/// Pixel (x, y) samples the point (x, y) of the output frame, so landmark coordinates follow the OpenCV
/// convention the ArcFace template uses.
final class SyntheticGBuffer {
    let size: Int
    let count: Int
    /// Depth of the nearest surface in output pixels (larger is nearer); -infinity where nothing was drawn.
    let depth: UnsafeMutablePointer<Float>
    let vertex0: UnsafeMutablePointer<Int32>, vertex1: UnsafeMutablePointer<Int32>, vertex2: UnsafeMutablePointer<Int32>
    let weight1: UnsafeMutablePointer<Float>, weight2: UnsafeMutablePointer<Float>
    /// `SyntheticHead.Material` raw values; 0 where the background shows.
    let material: UnsafeMutablePointer<UInt8>

    init(size: Int) {
        self.size = size
        count = size * size
        depth = .allocate(capacity: count)
        depth.initialize(repeating: -.infinity, count: count)
        vertex0 = .allocate(capacity: count)
        vertex1 = .allocate(capacity: count)
        vertex2 = .allocate(capacity: count)
        weight1 = .allocate(capacity: count)
        weight2 = .allocate(capacity: count)
        for buffer in [vertex0, vertex1, vertex2] { buffer.initialize(repeating: 0, count: count) }
        weight1.initialize(repeating: 0, count: count)
        weight2.initialize(repeating: 0, count: count)
        material = .allocate(capacity: count)
        material.initialize(repeating: 0, count: count)
    }

    deinit {
        depth.deallocate()
        vertex0.deallocate()
        vertex1.deallocate()
        vertex2.deallocate()
        weight1.deallocate()
        weight2.deallocate()
        material.deallocate()
    }

    /// Draws every part of `head` seen in `pose`.
    func rasterize(_ head: SyntheticHead, _ pose: SyntheticPose) {
        let vertexCount = head.vertices.count
        let xs = UnsafeMutablePointer<Float>.allocate(capacity: vertexCount)
        let ys = UnsafeMutablePointer<Float>.allocate(capacity: vertexCount)
        let zs = UnsafeMutablePointer<Float>.allocate(capacity: vertexCount)
        defer {
            xs.deallocate()
            ys.deallocate()
            zs.deallocate()
        }
        head.vertices.withUnsafeBufferPointer { vertices in
            for k in 0..<vertexCount {
                let p = pose.project(vertices[k].position)
                xs[k] = p.x
                ys[k] = p.y
                zs[k] = p.depth
            }
        }
        for part in head.parts {
            let stride = part.columns + 1
            for j in 0..<part.rows {
                for i in 0..<part.columns {
                    let a = Int32(part.offset + j * stride + i)
                    let b = a + 1, c = a + Int32(stride) + 1, d = a + Int32(stride)
                    triangle(a, b, c, xs, ys, zs, part)
                    triangle(a, c, d, xs, ys, zs, part)
                }
            }
        }
    }

    @inline(__always)
    private func triangle(_ i0: Int32, _ i1: Int32, _ i2: Int32, _ xs: UnsafeMutablePointer<Float>,
                          _ ys: UnsafeMutablePointer<Float>, _ zs: UnsafeMutablePointer<Float>, _ part: SyntheticHead.Part) {
        let x0 = xs[Int(i0)], y0 = ys[Int(i0)], x1 = xs[Int(i1)], y1 = ys[Int(i1)], x2 = xs[Int(i2)], y2 = ys[Int(i2)]
        let area = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0)
        if part.twoSided {
            if abs(area) < 1e-7 { return }
        } else if area < 1e-7 {
            return
        }
        // Pixel centres inside the bounding box (clamped first, so the integer conversions cannot overflow).
        let last = Int32(size - 1)
        let low = Float(-1), high = Float(size)
        let minX = Float(max(-PortableMath.floor(-max(min(x0, x1, x2), low)), 0))
        let maxX = Float(min(PortableMath.floor(min(max(x0, x1, x2), high)), last))
        let minY = Float(max(-PortableMath.floor(-max(min(y0, y1, y2), low)), 0))
        let maxY = Float(min(PortableMath.floor(min(max(y0, y1, y2), high)), last))
        guard minX <= maxX, minY <= maxY else { return }
        let z0 = zs[Int(i0)], z1 = zs[Int(i1)], z2 = zs[Int(i2)]
        let inverse = 1 / area
        let tolerance: Float = -1e-5
        let code = part.material.rawValue
        var py = minY
        while py <= maxY {
            var px = minX
            let row = Int(py) * size
            while px <= maxX {
                let w0 = ((x2 - x1) * (py - y1) - (y2 - y1) * (px - x1)) * inverse
                let w1 = ((x0 - x2) * (py - y2) - (y0 - y2) * (px - x2)) * inverse
                let w2 = 1 - w0 - w1
                if w0 >= tolerance && w1 >= tolerance && w2 >= tolerance {
                    let z = w0 * z0 + w1 * z1 + w2 * z2
                    let index = row + Int(px)
                    if z > depth[index] {
                        depth[index] = z
                        vertex0[index] = i0
                        vertex1[index] = i1
                        vertex2[index] = i2
                        weight1[index] = w1
                        weight2[index] = w2
                        material[index] = code
                    }
                }
                px += 1
            }
            py += 1
        }
    }
}
