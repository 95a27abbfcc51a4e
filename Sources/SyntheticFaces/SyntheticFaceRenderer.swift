/// Renders synthetic identities under nuisance conditions straight into the aligned 112×112 ArcFace frame.
///
/// The head is a 3-D mesh (see `SyntheticHead`) rotated by yaw and pitch, aligned to the five-point template by
/// a least-squares similarity as a real aligner would, rolled by the residual roll, rasterized with a z-buffer,
/// shaded per pixel with procedural textures and a directional light (with cast shadows) plus ambient light,
/// overdrawn with glasses and occluders, and passed through the camera (blur, capture resolution, noise).
/// Output is a pure function of identity and conditions: no system randomness and no transcendental libm
/// calls, so the bytes are the same on every run and, IEEE arithmetic being exact, on every machine.
public struct SyntheticFaceRenderer: Sendable {
    /// The side of the square output frame.
    public static let size = 112

    /// The five-point template faces are rendered onto: left eye, right eye, nose tip, left and right mouth corner.
    public static let template: [SIMD2<Double>] = ArcFaceTemplate.points

    /// A renderer; it holds no state, so one can be shared by any number of threads.
    public init() {}

    /// The photo of `identity` under `conditions` (builds the identity's head; reuse a `SyntheticHead` when
    /// rendering several photos of one identity).
    public func render(_ identity: SyntheticIdentity, _ conditions: SyntheticConditions) throws -> Image {
        try renderFace(SyntheticHead(identity), conditions).image
    }

    /// The photo of a prepared head under `conditions`.
    public func render(_ head: SyntheticHead, _ conditions: SyntheticConditions) throws -> Image {
        try renderFace(head, conditions).image
    }

    /// The photo of a prepared head under `conditions`, with its landmarks.
    /// - Throws: `SyntheticFaceError.invalidArgument` for conditions outside what the renderer supports.
    public func renderFace(_ head: SyntheticHead, _ conditions: SyntheticConditions) throws -> SyntheticFace {
        try conditions.validate()
        let size = Self.size
        let pose = SyntheticPose(head: head, conditions: conditions)
        let gbuffer = SyntheticGBuffer(size: size)
        gbuffer.rasterize(head, pose)
        var canvas = shade(head, conditions, pose, gbuffer)
        smoothSilhouettes(&canvas, gbuffer)
        SyntheticOverlays.draw(on: &canvas, gbuffer, head, pose, conditions)
        canvas.blur(sigma: Float(conditions.blurSigma))
        let image = canvas.captured(resolution: conditions.resolution, noiseSigma: Float(conditions.noiseSigma),
                                    noiseSeed: conditions.noiseSeed)
        return SyntheticFace(image: image, landmarks: pose.landmarks)
    }

    private func shade(_ head: SyntheticHead, _ conditions: SyntheticConditions, _ pose: SyntheticPose,
                       _ gbuffer: SyntheticGBuffer) -> SyntheticCanvas {
        let size = Self.size
        let shader = SyntheticShader(head: head, conditions: conditions, pose: pose)
        let shadows = conditions.lightStrength > 0 ? SyntheticShadowMap(head, light: pose.light) : nil
        var canvas = SyntheticCanvas(size: size)
        let top = SIMD3<Float>(conditions.backgroundTop), bottom = SIMD3<Float>(conditions.backgroundBottom)
        head.vertices.withUnsafeBufferPointer { vertices in
        canvas.pixels.withUnsafeMutableBufferPointer { pixels in
            for y in 0..<size {
                let background = top + (bottom - top) * (Float(y) / Float(size - 1))
                for x in 0..<size {
                    let index = y * size + x
                    let code = gbuffer.material[index]
                    guard code != 0, let material = SyntheticHead.Material(rawValue: code) else {
                        pixels[index] = SIMD4(background, 0)
                        continue
                    }
                    let a = vertices[Int(gbuffer.vertex0[index])], b = vertices[Int(gbuffer.vertex1[index])]
                    let c = vertices[Int(gbuffer.vertex2[index])]
                    let w1 = gbuffer.weight1[index], w2 = gbuffer.weight2[index], w0 = 1 - w1 - w2
                    let t = a.texture * w0 + b.texture * w1 + c.texture * w2
                    var n = a.normal * w0 + b.normal * w1 + c.normal * w2
                    n /= max((n * n).sum().squareRoot(), 1e-6)
                    var hair = a.hair * w0 + b.hair * w1 + c.hair * w2
                    var beard = a.beard * w0 + b.beard * w1 + c.beard * w2
                    if material == .skin && (hair > -4 || beard > -4) {
                        // Near a hairline, evaluate it exactly here rather than trusting the mesh interpolation.
                        let longitude = a.longitude * w0 + b.longitude * w1 + c.longitude * w2
                        if hair > -4 {
                            let scale = a.hairScale * w0 + b.hairScale * w1 + c.hairScale * w2
                            hair = min(max(head.hairline.hair(t.x, t.y, longitude: longitude) * scale, -12), 12)
                        }
                        if beard > -4 {
                            let scale = a.beardScale * w0 + b.beardScale * w1 + c.beardScale * w2
                            beard = min(max(head.hairline.beard(t.x, t.y, longitude: longitude) * scale, -12), 12)
                        }
                    }
                    let lit = shadows?.light(at: a.position * w0 + b.position * w1 + c.position * w2, normal: n) ?? 1
                    let color = shader.shade(material, t, n, hair: hair, beard: beard,
                                             occlusion: a.occlusion * w0 + b.occlusion * w1 + c.occlusion * w2,
                                             lit: lit)
                    pixels[index] = SIMD4(color, 0)
                }
            }
        }
        }
        return canvas
    }

    /// Softens pixels on depth or material discontinuities (the silhouette and the nose against the cheek),
    /// which the single-sample rasterizer leaves jagged.
    private func smoothSilhouettes(_ canvas: inout SyntheticCanvas, _ gbuffer: SyntheticGBuffer) {
        let size = Self.size
        let source = canvas.pixels
        for y in 1..<(size - 1) {
            for x in 1..<(size - 1) {
                let index = y * size + x
                let depth = gbuffer.depth[index], material = gbuffer.material[index]
                func differs(_ neighbour: Int) -> Bool {
                    let other = gbuffer.depth[neighbour]
                    return gbuffer.material[neighbour] != material
                        || (depth.isFinite && other.isFinite && abs(other - depth) > 2.5)
                }
                if differs(index - 1) || differs(index + 1) || differs(index - size) || differs(index + size) {
                    let around = source[index - 1] + source[index + 1] + source[index - size] + source[index + size]
                    canvas.pixels[index] = source[index] * 0.5 + around * 0.125
                }
            }
        }
    }
}
