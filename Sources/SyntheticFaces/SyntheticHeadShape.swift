/// The continuous surface of one identity's head: a skull of superellipse slices whose lower half narrows into
/// the jaw, plus a facial relief (sockets, brow ridge, cheekbones, nose, lips, chin) pushed out along z.
///
/// Coordinates are the head frame of `SyntheticIdentity`: pixels at frontal scale, origin between the eyes.
struct SyntheticHeadShape: Sendable {
    let halfWidth: Double
    let crown: Double
    let chin: Double
    let depthFront: Double
    let depthBack: Double
    let jawWidth: Double
    let jawSquareness: Double
    /// Superellipse exponents of the horizontal slices: flatter in front than behind.
    static let frontFlatness = 2.5
    static let backFlatness = 2.1

    // Relief and feature constants in single precision (used per vertex).
    let eyeX: Float, eyeAsymmetry: Float, eyeHalfWidth: Float, socketDepth: Float
    let browGap: Float, cheekbones: Float
    let noseTip: Float, noseProjection: Float, noseBridge: Float, noseTipWidth: Float, noseWing: Float
    let noseHump: Float, noseOffset: Float
    let mouth: Float, mouthHalfWidth: Float, upperLip: Float, lowerLip: Float, mouthCurve: Float
    let chinY: Float, chinProminence: Float
    let identity: SyntheticIdentity

    init(_ identity: SyntheticIdentity) {
        self.identity = identity
        halfWidth = identity.headHalfWidth
        crown = identity.crownHeight
        chin = identity.chinDrop
        depthFront = identity.headDepth
        depthBack = identity.headDepth * 1.12
        jawWidth = identity.jawWidth
        jawSquareness = identity.jawSquareness
        eyeX = Float(identity.eyeHalfSpacing)
        eyeAsymmetry = Float(identity.eyeAsymmetry)
        eyeHalfWidth = Float(identity.eyeHalfWidth)
        socketDepth = Float(identity.eyeSocketDepth)
        browGap = Float(identity.browGap)
        cheekbones = Float(identity.cheekbones)
        noseTip = Float(identity.noseTipDrop)
        noseProjection = Float(identity.noseProjection)
        noseBridge = Float(identity.noseBridgeWidth)
        noseTipWidth = Float(identity.noseTipWidth)
        noseWing = Float(identity.noseWingHalfWidth)
        noseHump = Float(identity.noseHump)
        noseOffset = Float(identity.noseOffset)
        mouth = Float(identity.mouthDrop)
        mouthHalfWidth = Float(identity.mouthHalfWidth)
        upperLip = Float(identity.upperLipThickness)
        lowerLip = Float(identity.lowerLipThickness)
        mouthCurve = Float(identity.mouthCurve)
        chinY = Float(identity.chinDrop)
        chinProminence = Float(identity.chinProminence)
    }

    /// Width and depth factors of the horizontal slice at height parameter `t` (-1 crown ... 1 chin).
    func sliceExtents(_ t: Double) -> (width: Double, depthFront: Double, depthBack: Double) {
        if t <= 0 {
            let e = t == 0 ? 1 : PortableMath.pow(1 - PortableMath.pow(-t, 2.3), 1 / 2.3)
            return (e, e, e)
        }
        let q = jawSquareness
        let outline = t >= 1 ? 0 : PortableMath.pow(1 - PortableMath.pow(t, q), 1 / q)
        let jaw = 1 - (1 - jawWidth) * PortableMath.smoothstep(0.1, 0.85, t)
        let front = t >= 1 ? 0 : PortableMath.pow(1 - PortableMath.pow(t, 3.5), 1 / 3.5)
        return (outline * jaw, front, (1 - t * t).squareRoot())
    }

    /// The slice factors of a longitude: sideways and forward components of the superellipse point.
    static func sliceDirection(sin s: Double, cos c: Double) -> (x: Double, z: Double) {
        let p = c >= 0 ? frontFlatness : backFlatness
        let x = s == 0 ? 0 : PortableMath.pow(abs(s), 2 / p) * (s < 0 ? -1 : 1)
        let z = c == 0 ? 0 : PortableMath.pow(abs(c), 2 / p) * (c < 0 ? -1 : 1)
        return (x, z)
    }

    /// The undisplaced surface point for a slice and a longitude direction.
    func basePoint(t: Double, extents: (width: Double, depthFront: Double, depthBack: Double),
                   direction: (x: Double, z: Double)) -> SIMD3<Double> {
        let y = t < 0 ? t * crown : t * chin
        let depth = direction.z >= 0 ? depthFront * extents.depthFront : depthBack * extents.depthBack
        return SIMD3(halfWidth * extents.width * direction.x, y, depth * direction.z)
    }

    /// The outward normal of the undisplaced surface, approximated by the ellipsoid through the same axes.
    func baseNormal(_ p: SIMD3<Double>) -> SIMD3<Double> {
        let b = p.y < 0 ? crown : chin
        let c = p.z >= 0 ? depthFront : depthBack
        let n = SIMD3(p.x / (halfWidth * halfWidth), p.y / (b * b), p.z / (c * c))
        let length = (n * n).sum().squareRoot()
        return length > 0 ? n / length : SIMD3(0, 0, 1)
    }

    /// The depth of the front surface (with relief) at head point (x, y).
    func frontDepth(x: Double, y: Double) -> Double {
        let t = min(max(y < 0 ? y / crown : y / chin, -1), 1)
        let extents = sliceExtents(t)
        guard extents.width > 0 else { return 0 }
        let s = min(max(x / (halfWidth * extents.width), -1), 1)
        let sinTheta = PortableMath.pow(abs(s), Self.frontFlatness / 2)
        let cosTheta = (1 - sinTheta * sinTheta).squareRoot()
        let z = depthFront * extents.depthFront * PortableMath.pow(cosTheta, 2 / Self.frontFlatness)
        return z + Double(relief(Float(x), Float(y)).depth)
    }

    /// The facial relief at head point (x, y): how far the surface is pushed towards the camera, and how much
    /// ambient light the point loses (negative) in hollows.
    func relief(_ x: Float, _ y: Float) -> (depth: Float, shade: Float) {
        let exp = PortableMath.expf
        var depth: Float = 0
        var shade: Float = 0
        // Eye sockets with the eyeballs in them.
        for side in stride(from: Float(-1), through: 1, by: 2) {
            let dx = x - side * eyeX
            let dy = y - side * eyeAsymmetry / 2
            let socketX = eyeHalfWidth * 1.35, socketY = eyeHalfWidth * 1.0
            let socket = socketDepth * exp(-(dx * dx / (socketX * socketX) + (dy + 1) * (dy + 1) / (socketY * socketY)))
            depth -= socket
            shade -= 0.045 * socket
            let ballX = eyeHalfWidth * 0.85, ballY = eyeHalfWidth * 0.55
            depth += 1.6 * exp(-(dx * dx / (ballX * ballX) + dy * dy / (ballY * ballY)))
        }
        // Temples.
        let tx = abs(x) - 31, ty = y + 12
        depth -= 1.6 * exp(-(tx * tx / 40 + ty * ty / 80))
        // Brow ridge.
        let ridgeY = y + browGap * 0.95
        let ridgeX = x * x / 600
        depth += 2.2 * exp(-(ridgeY * ridgeY / 18 + ridgeX * ridgeX))
        // Cheekbones.
        for side in stride(from: Float(-1), through: 1, by: 2) {
            let cx = x - side * 23, cy = y - 13
            depth += cheekbones * exp(-(cx * cx / 90 + cy * cy / 64))
        }
        // Nose: a ridge growing from the root to the tip, wings beside the tip.
        let root: Float = -2
        if y > root - 12 && y < noseTip + 12 && abs(x) < 16 {
            let s = min(max((y - root) / (noseTip - root), 0), 1)
            var height: Float
            if y <= noseTip {
                height = noseProjection * (0.2 + 0.8 * s * s.squareRoot()) + noseHump * 4 * s * (1 - s) * 1.5
                if y < root { height *= exp(-(y - root) * (y - root) / 14) }
            } else {
                let below = y - noseTip
                height = noseProjection * exp(-below * below / 7.5)
            }
            let width = noseBridge + (noseTipWidth - noseBridge) * s
            let nx = x - noseOffset * s
            depth += height * exp(-nx * nx / (width * width))
            for side in stride(from: Float(-1), through: 1, by: 2) {
                let wx = x - noseOffset - side * (noseWing - 2.6), wy = y - (noseTip + 2)
                depth += 0.3 * noseProjection * exp(-(wx * wx / 8 + wy * wy / 6.5))
            }
            let under = y - (noseTip + 4.5)
            shade -= 0.14 * exp(-(x * x / 30 + under * under / 3))
            // The creases where the nostril wings meet the cheeks.
            for side in stride(from: Float(-1), through: 1, by: 2) {
                let cx = x - noseOffset - side * (noseWing + 0.5), cy = y - (noseTip + 1)
                shade -= 0.12 * exp(-(cx * cx / 3 + cy * cy / 10))
            }
        }
        // The muzzle and the lips.
        let mw = mouthHalfWidth
        let my = y - (mouth - 2)
        depth += 3.2 * exp(-(x * x / (1.3 * mw * mw) + my * my / 110))
        let ux = x * x / (0.7 * mw * mw)
        let uy = y - (mouth - 0.5 * upperLip)
        depth += 1.1 * exp(-(ux + uy * uy / (0.4 * upperLip * upperLip)))
        let ly = y - (mouth + 0.5 * lowerLip)
        depth += 1.5 * exp(-(ux + ly * ly / (0.4 * lowerLip * lowerLip)))
        let sy = y - (mouth + lowerLip + 3.5)
        let sulcus = 1.2 * exp(-(x * x / (0.4 * mw * mw) + sy * sy / 5))
        depth -= sulcus
        shade -= 0.03 * sulcus
        // Chin.
        let cy = y - (chinY - 9)
        depth += chinProminence * exp(-(x * x / 70 + cy * cy / 40))
        return (depth, shade)
    }
}
