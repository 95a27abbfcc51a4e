/// Things drawn over the shaded head in the output frame: spectacles (an identity trait), sunglasses, and the
/// bars and patches of occlusion. Worn things are modelled in the head frame, projected with the pose and
/// depth-tested against the head, so a far lens or temple disappears behind the nose or skull.
enum SyntheticOverlays {
    /// A projected point: output pixel position and depth.
    private typealias Point = (x: Float, y: Float, depth: Float)

    /// Draws the identity's glasses (if any) and the photo's occlusion.
    static func draw(on canvas: inout SyntheticCanvas, _ gbuffer: SyntheticGBuffer, _ head: SyntheticHead,
                     _ pose: SyntheticPose, _ conditions: SyntheticConditions) {
        let sunglasses = conditions.occlusion == .sunglasses
        if let glasses = head.identity.glasses ?? (sunglasses ? defaultSunglasses : nil) {
            spectacles(glasses, dark: sunglasses, on: &canvas, gbuffer, head, pose)
        }
        switch conditions.occlusion {
        case let .bar(x, y, length, thickness, angle, color):
            bar(x: Float(x), y: Float(y), length: Float(length), thickness: Float(thickness), angle: angle,
                color: SIMD3<Float>(color), on: &canvas)
        case let .patch(x, y, width, height, color):
            patch(x: Float(x), y: Float(y), width: Float(width), height: Float(height), color: SIMD3<Float>(color),
                  on: &canvas)
        case .none, .sunglasses, .mask:
            break
        }
    }

    private static let defaultSunglasses = SyntheticIdentity.Glasses(
        round: false, halfWidth: 12, halfHeight: 9, thickness: 1.4, frameColor: SIMD3(0.03, 0.03, 0.035))

    private static func spectacles(_ glasses: SyntheticIdentity.Glasses, dark: Bool, on canvas: inout SyntheticCanvas,
                                   _ gbuffer: SyntheticGBuffer, _ head: SyntheticHead, _ pose: SyntheticPose) {
        let id = head.identity
        let shape = head.shape
        let eyeDepth = shape.frontDepth(x: id.eyeHalfSpacing, y: 0)
        let lensDepth = eyeDepth + 8
        let w = glasses.halfWidth, h = glasses.halfHeight
        var coverage = [Float](repeating: 0, count: gbuffer.count)
        let halfWidth = Float(glasses.thickness) * pose.scale / 2
        func project(_ x: Double, _ y: Double, _ z: Double) -> Point {
            pose.project(SIMD3<Float>(Float(x), Float(y), Float(z)))
        }
        for side in [-1.0, 1.0] {
            let cx = side * id.eyeHalfSpacing, cy = side * id.eyeAsymmetry / 2 + 0.5
            let outline: [Point] = (0..<32).map { k in
                let (s, c) = PortableMath.sinCos(Double(k) * Double.pi / 16)
                let dx = glasses.round ? c : (c < 0 ? -1 : 1) * abs(c).squareRoot()
                let dy = glasses.round ? s : (s < 0 ? -1 : 1) * abs(s).squareRoot()
                return project(cx + w * dx, cy + h * dy, lensDepth - 0.02 * (w * dx) * (w * dx) * 0.3)
            }
            let lensColor: SIMD4<Float> = dark ? SIMD4(0.03, 0.03, 0.045, 0) : SIMD4(0.9, 0.95, 1, 0)
            fill(outline, color: lensColor, alpha: dark ? 0.93 : 0.07, on: &canvas, gbuffer)
            stroke(outline + [outline[0]], halfWidth: halfWidth, into: &coverage, gbuffer)
            let temple: [Point] = [
                project(side * (id.eyeHalfSpacing + w), cy - h * 0.35, lensDepth - 1),
                project(side * (shape.halfWidth + 1.5), cy - 1.5, lensDepth - 20),
                project(side * (shape.halfWidth + 0.5), cy + 2, -4),
            ]
            stroke(temple, halfWidth: halfWidth, into: &coverage, gbuffer)
        }
        let bridgeY = -h * 0.35
        let bridgeDepth = max(lensDepth + 1, shape.frontDepth(x: 0, y: bridgeY) + 1.5)
        let inner = id.eyeHalfSpacing - w * 0.98
        let bridge: [Point] = [project(-inner, -h * 0.2, lensDepth), project(-inner * 0.4, bridgeY, bridgeDepth),
                               project(inner * 0.4, bridgeY, bridgeDepth), project(inner, -h * 0.2, lensDepth)]
        stroke(bridge, halfWidth: halfWidth, into: &coverage, gbuffer)
        let frame = SIMD4<Float>(SIMD3<Float>(glasses.frameColor), 0)
        for index in 0..<gbuffer.count where coverage[index] > 0 {
            canvas.blend(index, frame, coverage[index])
        }
    }

    /// Accumulates (by maximum) the coverage of a polyline `halfWidth` pixels thick wherever it is in front of
    /// the surface already drawn.
    private static func stroke(_ points: [Point], halfWidth: Float, into coverage: inout [Float], _ gbuffer: SyntheticGBuffer) {
        let size = gbuffer.size
        let reach = halfWidth + 1
        for (p, q) in zip(points, points.dropFirst()) {
            let dx = q.x - p.x, dy = q.y - p.y
            let lengthSquared = max(dx * dx + dy * dy, 1e-6)
            let x0 = max(Int((min(p.x, q.x) - reach).rounded(.down)), 0)
            let x1 = min(Int((max(p.x, q.x) + reach).rounded(.up)), size - 1)
            let y0 = max(Int((min(p.y, q.y) - reach).rounded(.down)), 0)
            let y1 = min(Int((max(p.y, q.y) + reach).rounded(.up)), size - 1)
            guard x0 <= x1, y0 <= y1 else { continue }
            for y in y0...y1 {
                for x in x0...x1 {
                    let t = min(max(((Float(x) - p.x) * dx + (Float(y) - p.y) * dy) / lengthSquared, 0), 1)
                    let ex = Float(x) - (p.x + t * dx), ey = Float(y) - (p.y + t * dy)
                    let covered = PortableMath.coverage(halfWidth - (ex * ex + ey * ey).squareRoot(), 1)
                    let index = y * size + x
                    if covered > 0 && p.depth + t * (q.depth - p.depth) >= gbuffer.depth[index] - 1 {
                        coverage[index] = max(coverage[index], covered)
                    }
                }
            }
        }
    }

    /// Fills a convex polygon, 2×2 supersampled, where it is in front of the surface.
    private static func fill(_ polygon: [Point], color: SIMD4<Float>, alpha: Float, on canvas: inout SyntheticCanvas,
                             _ gbuffer: SyntheticGBuffer) {
        let size = gbuffer.size
        var area: Float = 0
        for (p, q) in zip(polygon, polygon.dropFirst() + [polygon[0]]) { area += p.x * q.y - q.x * p.y }
        guard abs(area) > 1e-3 else { return }
        let orientation: Float = area > 0 ? 1 : -1
        let depth = polygon.map(\.depth).reduce(0, +) / Float(polygon.count)
        let x0 = max(Int(polygon.map(\.x).min()!.rounded(.down)), 0), x1 = min(Int(polygon.map(\.x).max()!.rounded(.up)), size - 1)
        let y0 = max(Int(polygon.map(\.y).min()!.rounded(.down)), 0), y1 = min(Int(polygon.map(\.y).max()!.rounded(.up)), size - 1)
        guard x0 <= x1, y0 <= y1 else { return }
        let edges = Array(zip(polygon, polygon.dropFirst() + [polygon[0]]))
        for y in y0...y1 {
            for x in x0...x1 {
                let index = y * size + x
                guard depth >= gbuffer.depth[index] - 1 else { continue }
                var inside = 0
                for sample in 0..<4 {
                    let px = Float(x) + (sample & 1 == 0 ? -0.25 : 0.25)
                    let py = Float(y) + (sample < 2 ? -0.25 : 0.25)
                    var all = true
                    for (p, q) in edges where ((q.x - p.x) * (py - p.y) - (q.y - p.y) * (px - p.x)) * orientation < 0 {
                        all = false
                        break
                    }
                    if all { inside += 1 }
                }
                if inside > 0 { canvas.blend(index, color, alpha * Float(inside) / 4) }
            }
        }
    }

    private static func bar(x: Float, y: Float, length: Float, thickness: Float, angle: Double, color: SIMD3<Float>,
                            on canvas: inout SyntheticCanvas) {
        let (s, c) = PortableMath.sinCos(degrees: angle)
        let sin = Float(s), cos = Float(c)
        let size = canvas.size
        for py in 0..<size {
            for px in 0..<size {
                let dx = Float(px) - x, dy = Float(py) - y
                let u = dx * cos + dy * sin, v = -dx * sin + dy * cos
                let covered = PortableMath.coverage(length / 2 - abs(u), 1) * PortableMath.coverage(thickness / 2 - abs(v), 1)
                guard covered > 0 else { continue }
                let across = 2 * v / thickness
                let shaded = color * (0.75 + 0.4 * (1 - across * across))
                canvas.blend(py * size + px, SIMD4(shaded, 0), covered)
            }
        }
    }

    private static func patch(x: Float, y: Float, width: Float, height: Float, color: SIMD3<Float>,
                              on canvas: inout SyntheticCanvas) {
        let size = canvas.size
        let x0 = max(Int((x - 1).rounded(.down)), 0), x1 = min(Int((x + width + 1).rounded(.up)), size - 1)
        let y0 = max(Int((y - 1).rounded(.down)), 0), y1 = min(Int((y + height + 1).rounded(.up)), size - 1)
        guard x0 <= x1, y0 <= y1 else { return }
        for py in y0...y1 {
            for px in x0...x1 {
                let fx = Float(px), fy = Float(py)
                let covered = PortableMath.coverage(min(fx - x, x + width - fx), 1)
                    * PortableMath.coverage(min(fy - y, y + height - fy), 1)
                guard covered > 0 else { continue }
                let texture = 0.88 + 0.24 * PortableMath.valueNoise(fx / 5, fy / 5, seed: 0x5EED)
                canvas.blend(py * size + px, SIMD4(color * texture, 0), covered)
            }
        }
    }
}
