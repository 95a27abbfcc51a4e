/// Where the head sits in the output frame for one photo: its 3-D rotation, then the similarity transform that
/// aligns its projected landmarks to the ArcFace template (as a five-point aligner would), then the residual roll.
struct SyntheticPose {
    /// Rows of the head-to-camera rotation.
    let row0: SIMD3<Float>, row1: SIMD3<Float>, row2: SIMD3<Float>
    /// Camera x, y to output pixels.
    let m00: Float, m01: Float, m10: Float, m11: Float, tx: Float, ty: Float
    /// Output pixels per head pixel.
    let scale: Float
    /// The five landmarks in output pixels.
    let landmarks: [SIMD2<Double>]
    /// Unit vectors in the head frame towards the light and the camera, and their halfway vector.
    let light: SIMD3<Float>, view: SIMD3<Float>, halfway: SIMD3<Float>

    init(head: SyntheticHead, conditions: SyntheticConditions) {
        let (sy, cy) = PortableMath.sinCos(degrees: conditions.yaw)
        let (sp, cp) = PortableMath.sinCos(degrees: conditions.pitch)
        // Pitch about the head's x axis, then yaw about the camera's vertical axis (y is down, z to the camera).
        let r0 = SIMD3(cy, sy * sp, sy * cp)
        let r1 = SIMD3(0, cp, -sp)
        let r2 = SIMD3(-sy, cy * sp, cy * cp)
        row0 = SIMD3<Float>(r0)
        row1 = SIMD3<Float>(r1)
        row2 = SIMD3<Float>(r2)

        let points = head.landmarks(conditions.expression).map { SIMD2(($0 * r0).sum(), ($0 * r1).sum()) }
        let template = SyntheticFaceRenderer.template
        let fit = Self.similarity(from: points, to: template)
        let templateCenter = template.reduce(SIMD2<Double>.zero, +) / Double(template.count)
        // Roll turns the aligned face counter-clockwise on screen (y down) about the template centre.
        let (sr, cr) = PortableMath.sinCos(degrees: conditions.roll)
        let a = cr * fit.a + sr * fit.b, b = -sr * fit.a + cr * fit.b
        let shifted = fit.translation - templateCenter
        let translation = SIMD2(cr * shifted.x + sr * shifted.y, -sr * shifted.x + cr * shifted.y) + templateCenter
        m00 = Float(a)
        m01 = Float(-b)
        m10 = Float(b)
        m11 = Float(a)
        tx = Float(translation.x)
        ty = Float(translation.y)
        scale = Float((a * a + b * b).squareRoot())
        landmarks = points.map { SIMD2(a * $0.x - b * $0.y + translation.x, b * $0.x + a * $0.y + translation.y) }

        let (sa, ca) = PortableMath.sinCos(degrees: conditions.lightAzimuth)
        let (se, ce) = PortableMath.sinCos(degrees: conditions.lightElevation)
        let cameraLight = SIMD3(sa * ce, -se, ca * ce)
        // The transpose of the rotation takes camera directions into the head frame.
        let headLight = r0 * cameraLight.x + r1 * cameraLight.y + r2 * cameraLight.z
        light = SIMD3<Float>(headLight)
        view = SIMD3<Float>(r2)
        let h = headLight + r2
        let length = (h * h).sum().squareRoot()
        halfway = length > 1e-9 ? SIMD3<Float>(h / length) : SIMD3<Float>(r2)
    }

    /// A head point's output pixel position and depth (larger is nearer the camera).
    @inline(__always)
    func project(_ p: SIMD3<Float>) -> (x: Float, y: Float, depth: Float) {
        let cx = (row0 * p).sum(), cy = (row1 * p).sum()
        return (m00 * cx + m01 * cy + tx, m10 * cx + m11 * cy + ty, (row2 * p).sum() * scale)
    }

    /// The least-squares similarity (x, y) ↦ (a x − b y, b x + a y) + translation taking `source` onto `target`.
    static func similarity(from source: [SIMD2<Double>], to target: [SIMD2<Double>])
        -> (a: Double, b: Double, translation: SIMD2<Double>) {
        let n = Double(source.count)
        let sourceMean = source.reduce(SIMD2<Double>.zero, +) / n
        let targetMean = target.reduce(SIMD2<Double>.zero, +) / n
        var dot = 0.0, cross = 0.0, norm = 0.0
        for (s, t) in zip(source, target) {
            let p = s - sourceMean, q = t - targetMean
            dot += p.x * q.x + p.y * q.y
            cross += p.x * q.y - p.y * q.x
            norm += p.x * p.x + p.y * p.y
        }
        let a = dot / norm, b = cross / norm
        let translation = targetMean - SIMD2(a * sourceMean.x - b * sourceMean.y, b * sourceMean.x + a * sourceMean.y)
        return (a, b, translation)
    }
}
