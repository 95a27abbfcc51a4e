/// The colour of one surface point for one photo: procedural skin, hair, beard, brows, eyes, nose and lips on
/// the head's texture coordinates (anti-aliased over one output pixel), lit by a wrapped Lambertian term, a
/// Blinn–Phong highlight and ambient light scaled by occlusion.
struct SyntheticShader {
    /// How far a full smile lifts the mouth corners and widens the mouth (a fraction of its half width).
    static let smileLift = 2.8
    static let smileWidening = 0.1

    let light: SIMD3<Float>, halfway: SIMD3<Float>, view: SIMD3<Float>
    let ambient: Float, strength: Float
    /// One output pixel in head pixels: the width of anti-aliased edges.
    let edge: Float

    let skin: SIMD3<Float>, hairColor: SIMD3<Float>, browColor: SIMD3<Float>, irisColor: SIMD3<Float>
    let lipTint: SIMD3<Float>, beardColor: SIMD3<Float>, lashColor: SIMD3<Float>
    let blotchiness: Float, blush: Float, curly: Bool
    let seed: UInt32
    let marks: SyntheticMarkGrid
    let frontDepth: Float

    // Eyes and brows.
    let eyeX: Float, eyeAsymmetry: Float, eyeHalfWidth: Float, eyeTilt: Float
    let upperLid: Float, lowerLid: Float, closure: Float
    let browInner: Float, browLength: Float, browGap: Float, browThickness: Float, browArch: Float
    let browSlant: Float, browDensity: Float, browRaise: Float
    // Nose and mouth.
    let noseTip: Float, noseOffset: Float, nostrilX: Float
    let mouth: Float, mouthHalfWidth: Float, mouthLift: Float, upperLip: Float, lowerLip: Float
    let mouthGap: Float, smile: Float
    // Beard and mask.
    let beardDensity: Float, hasBeard: Bool, stubble: Bool
    let maskColor: SIMD3<Float>?, maskTop: Float, chin: Float

    init(head: SyntheticHead, conditions: SyntheticConditions, pose: SyntheticPose) {
        let id = head.identity
        let e = conditions.expression
        light = pose.light
        halfway = pose.halfway
        view = pose.view
        ambient = Float(conditions.ambient)
        strength = Float(conditions.lightStrength)
        edge = 1 / max(pose.scale, 0.05)

        skin = SIMD3<Float>(id.skinColor)
        hairColor = SIMD3<Float>(id.hairColor)
        let hairLuma = (hairColor * SIMD3(0.3, 0.59, 0.11)).sum()
        browColor = hairLuma > 0.3 && id.hairColor.x - id.hairColor.z < 0.2 ? hairColor * 0.85 : hairColor * 0.7
        irisColor = SIMD3<Float>(id.irisColor)
        lipTint = SIMD3<Float>(id.lipTint)
        lashColor = SIMD3(0.05, 0.035, 0.03) * 0.6 + hairColor * 0.4 * min(hairLuma * 1.5, 0.5)
        blotchiness = Float(id.skinBlotchiness)
        blush = Float(id.blush)
        curly = id.hairStyle == .curly
        seed = UInt32(truncatingIfNeeded: id.seed ^ (id.seed >> 32))
        marks = head.marks
        frontDepth = Float(id.headDepth)
        if id.beard == .stubble {
            beardColor = skin * SIMD3(0.62, 0.62, 0.68) + hairColor * 0.15
            beardDensity = 0.45
        } else {
            beardColor = hairColor * 0.95
            beardDensity = 0.92
        }
        hasBeard = id.beard != .none
        stubble = id.beard == .stubble

        eyeX = Float(id.eyeHalfSpacing)
        eyeAsymmetry = Float(id.eyeAsymmetry)
        eyeHalfWidth = Float(id.eyeHalfWidth)
        eyeTilt = Float(id.eyeTilt * 0.0175)
        let openness = Float(id.eyeOpenness) * eyeHalfWidth
        closure = Float(e.eyeClosure)
        upperLid = openness * 1.15
        lowerLid = openness * 0.85
        browInner = Float(id.eyeHalfSpacing - id.eyeHalfWidth * 1.05)
        browLength = Float(2 * id.eyeHalfWidth * id.browLength)
        browGap = Float(id.browGap)
        browThickness = Float(id.browThickness)
        browArch = Float(id.browArch)
        browSlant = Float(id.browSlant * 0.0175)
        browDensity = Float(id.browDensity)
        browRaise = Float(e.browRaise)

        noseTip = Float(id.noseTipDrop)
        noseOffset = Float(id.noseOffset)
        nostrilX = Float(id.noseWingHalfWidth * 0.45)
        mouth = Float(id.mouthDrop)
        mouthHalfWidth = Float(id.mouthHalfWidth * (1 + Self.smileWidening * e.smile))
        mouthLift = Float(id.mouthCurve + Self.smileLift * e.smile)
        upperLip = Float(id.upperLipThickness)
        lowerLip = Float(id.lowerLipThickness * (1 - 0.15 * e.smile))
        mouthGap = Float(e.mouthOpen * 6.5)
        smile = Float(e.smile)
        if case let .mask(color) = conditions.occlusion {
            maskColor = SIMD3<Float>(color)
        } else {
            maskColor = nil
        }
        maskTop = Float(id.noseTipDrop) - 9
        chin = Float(id.chinDrop)
    }

    /// The lit colour of a point of `material` with texture coordinate `t`, normal `n` (head frame), hair and
    /// beard distances, ambient occlusion and the fraction `lit` of the directional light not shadowed.
    @inline(__always)
    func shade(_ material: SyntheticHead.Material, _ t: SIMD3<Float>, _ normal: SIMD3<Float>, hair: Float,
               beard: Float, occlusion: Float, lit: Float) -> SIMD3<Float> {
        var n = normal
        var albedo: SIMD3<Float>
        var gloss: Float = 0.05
        var sharpness = 3    // the highlight exponent is 2^(sharpness + 1)
        var wrap: Float = 0.12
        switch material {
        case .hair:
            if (n * view).sum() < 0 { n = -n }
            albedo = hairAlbedo(t)
            gloss = 0.09
            sharpness = 2
            wrap = 0.1
        case .neck:
            albedo = skinAlbedo(t) * SIMD3(0.93, 0.91, 0.91)
        case .ear:
            albedo = skinAlbedo(t) * SIMD3(1.0, 0.94, 0.93)
        case .skin:
            albedo = skinAlbedo(t)
            var masked: Float = 0
            if maskColor != nil, t.z > 0 {
                masked = PortableMath.coverage(t.y - (maskTop + 0.01 * t.x * t.x), edge)
                    * PortableMath.coverage(t.z - 0.3 * frontDepth, 3 * edge)
                    * PortableMath.coverage(chin + 3 - t.y, edge)
            }
            // Features only where the mask does not hide them completely.
            if masked < 1 && t.z > 0.3 * frontDepth {
                if hasBeard && beard > -3 { albedo = beardOver(albedo, t, beard) }
                albedo = nose(albedo, t)
                if abs(t.x) < mouthHalfWidth * 1.3 && t.y > mouth - 9 && t.y < mouth + mouthGap + lowerLip + 4 {
                    let lips = self.lips(albedo, t)
                    albedo = lips.color
                    gloss = max(gloss, 0.12 * lips.coverage)
                }
                if abs(t.y + browGap) < 10 { albedo = brows(albedo, t) }
                if abs(abs(t.x) - eyeX) < eyeHalfWidth + 3 && abs(t.y) < eyeHalfWidth + 2 {
                    let eye = eyes(albedo, t)
                    albedo = eye.color
                    if eye.wet > 0 {
                        gloss = gloss + (0.6 - gloss) * eye.wet
                        sharpness = 5
                    }
                }
            }
            if let maskColor, masked > 0 {
                var fold = (t.y - maskTop) / 5.5
                fold -= fold.rounded(.down)
                let maskAlbedo = maskColor * (0.9 + 0.2 * abs(fold - 0.5))
                albedo = albedo + (maskAlbedo - albedo) * masked
                gloss *= 1 - masked
            }
            if hair > -3 {
                let jag = (PortableMath.valueNoise(t.x * 0.8 + t.z * 0.3, t.y * 0.15, seed: seed &+ 7) - 0.5) * 2.4
                let covered = PortableMath.coverage(hair + jag, edge + 0.5)
                if covered > 0 {
                    albedo = albedo + (hairAlbedo(t) - albedo) * covered
                    gloss = gloss + (0.09 - gloss) * covered
                }
            }
        }
        return illuminate(albedo, n, occlusion, lit, gloss: gloss, sharpness: sharpness, wrap: wrap)
    }

    @inline(__always)
    private func illuminate(_ albedo: SIMD3<Float>, _ n: SIMD3<Float>, _ occlusion: Float, _ lit: Float,
                            gloss: Float, sharpness: Int, wrap: Float) -> SIMD3<Float> {
        let facing = (n * light).sum()
        let diffuse = max(0, (facing + wrap) / (1 + wrap)) * lit
        var highlight = max(0, (n * halfway).sum())
        for _ in 0...sharpness { highlight *= highlight }
        let specular = facing > 0 ? gloss * highlight * strength * lit : 0
        let lit = albedo * (ambient * occlusion + strength * diffuse * (0.55 + 0.45 * occlusion))
        return lit + SIMD3(repeating: specular * occlusion)
    }

    @inline(__always)
    private func skinAlbedo(_ t: SIMD3<Float>) -> SIMD3<Float> {
        let blotch = PortableMath.valueNoise(t.x * 0.16 + t.z * 0.05, t.y * 0.16, seed: seed) - 0.5
        let pores = PortableMath.valueNoise(t.x * 0.9, t.y * 0.9 + t.z * 0.3, seed: seed &+ 1) - 0.5
        var color = skin * (1 + blotchiness * 0.16 * blotch + 0.05 * pores)
        if t.z > 0 {
            let cheekY = (t.y - 15) * (t.y - 15) / 50
            let left = (t.x + 21) * (t.x + 21) / 70, right = (t.x - 21) * (t.x - 21) / 70
            let b = blush * (PortableMath.expf(-(left + cheekY)) + PortableMath.expf(-(right + cheekY)))
            color *= SIMD3(1 + 0.1 * b, 1 - 0.07 * b, 1 - 0.05 * b)
            if let cell = marks.cell(x: t.x, y: t.y) {
                let start = Int(marks.starts[cell]), end = Int(marks.starts[cell + 1])
                var index = start
                while index < end {
                    let mark = marks.marks[Int(marks.members[index])]
                    let dx = t.x - mark.x, dy = t.y - mark.y
                    let reach = mark.z + edge
                    let d2 = dx * dx + dy * dy
                    if d2 < reach * reach {
                        let covered = PortableMath.coverage(mark.z - d2.squareRoot(), edge)
                        color *= SIMD3(repeating: 1) - SIMD3(0.9, 1, 1.1) * (mark.w * covered)
                    }
                    index += 1
                }
            }
        }
        return color
    }

    @inline(__always)
    private func hairAlbedo(_ t: SIMD3<Float>) -> SIMD3<Float> {
        let value: Float
        if curly {
            value = 0.6 * PortableMath.valueNoise(t.x * 0.55 + t.z * 0.2, t.y * 0.55, seed: seed &+ 3)
                + 0.4 * PortableMath.valueNoise(t.x * 1.3, t.y * 1.3 + t.z * 0.5, seed: seed &+ 4)
        } else {
            let around = t.x / (abs(t.x) + abs(t.z) + 1)
            let strand = around * 60 + t.y * 0.04
            value = 0.65 * PortableMath.valueNoise(strand, t.y * 0.05, seed: seed &+ 3)
                + 0.35 * PortableMath.valueNoise(strand * 2.7, t.y * 0.12, seed: seed &+ 4)
        }
        return hairColor * (0.6 + 0.8 * value)
    }

    @inline(__always)
    private func beardOver(_ albedo: SIMD3<Float>, _ t: SIMD3<Float>, _ beard: Float) -> SIMD3<Float> {
        if stubble {
            // Shaved hair shows as a soft shadow with a fine grain, fading out over a few pixels.
            let covered = PortableMath.smoothstep(-1, 5, beard) * beardDensity
            guard covered > 0 else { return albedo }
            let grain = 0.8 + 0.4 * PortableMath.valueNoise(t.x * 2.6, t.y * 2.6, seed: seed &+ 6)
            return albedo + (beardColor * grain - albedo) * covered
        }
        let jag = (PortableMath.valueNoise(t.x * 1.1, t.y * 1.1, seed: seed &+ 5) - 0.5) * 1.6
        let covered = PortableMath.coverage(beard + jag, edge * 1.5) * beardDensity
        guard covered > 0 else { return albedo }
        let texture = beardColor * (0.65 + 0.7 * PortableMath.valueNoise(t.x * 1.7, t.y * 1.7, seed: seed &+ 6))
        return albedo + (texture - albedo) * covered
    }

    @inline(__always)
    private func nose(_ albedo: SIMD3<Float>, _ t: SIMD3<Float>) -> SIMD3<Float> {
        let ny = t.y - (noseTip + 2.8)
        guard abs(ny) < 2.5 else { return albedo }
        var color = albedo
        for side in stride(from: Float(-1), through: 1, by: 2) {
            let nx = t.x - noseOffset - side * nostrilX
            guard abs(nx) < 3 else { continue }
            let d = ((nx * nx) / 2.9 + (ny * ny) / 0.9).squareRoot()
            color *= 1 - 0.6 * PortableMath.coverage((1 - d) * 1.2, edge)
        }
        return color
    }

    @inline(__always)
    private func lips(_ albedo: SIMD3<Float>, _ t: SIMD3<Float>) -> (color: SIMD3<Float>, coverage: Float) {
        let u = t.x / mouthHalfWidth
        let u2 = u * u
        let across = max(0, 1 - u2)
        let line = mouth - mouthLift * u2
        let gap = mouthGap * across.squareRoot() * (0.6 + 0.4 * across) + smile * 0.7 * across
        let envelope = across.squareRoot()
        let bow = 1 - 0.25 * PortableMath.expf(-u2 / 0.012) + 0.08 * PortableMath.expf(-(abs(u) - 0.25) * (abs(u) - 0.25) / 0.02)
        let upperTop = line - upperLip * envelope * bow
        let lowerBottom = line + gap + lowerLip * envelope
        let sides = PortableMath.coverage((1 - abs(u)) * mouthHalfWidth, edge)
        let upper = PortableMath.coverage(min(t.y - upperTop, line - t.y), edge)
        let lower = PortableMath.coverage(min(t.y - (line + gap), lowerBottom - t.y), edge)
        let lip = max(upper, lower) * sides
        let lipColor = skin * lipTint * (upper > lower ? 0.9 : 1)
        var color = albedo + (lipColor - albedo) * (lip * 0.9)
        if gap > 0.05 {
            let inside = PortableMath.coverage(min(t.y - line, line + gap - t.y), edge) * sides
            let teethHeight = min(gap * 0.5, 2.6)
            let teeth = PortableMath.coverage(min(t.y - line, teethHeight - (t.y - line)), edge)
                * PortableMath.coverage((0.8 - abs(u)) * mouthHalfWidth, edge)
            let interior = SIMD3<Float>(0.22, 0.06, 0.06) + (SIMD3<Float>(0.86, 0.83, 0.76) - SIMD3<Float>(0.22, 0.06, 0.06)) * teeth
            color = color + (interior - color) * inside
        } else {
            let seam = PortableMath.coverage(0.45 - abs(t.y - line), edge)
                * PortableMath.coverage((1.03 - abs(u)) * mouthHalfWidth, edge)
            color *= 1 - 0.55 * seam
        }
        return (color, lip)
    }

    @inline(__always)
    private func brows(_ albedo: SIMD3<Float>, _ t: SIMD3<Float>) -> SIMD3<Float> {
        var color = albedo
        for side in stride(from: Float(-1), through: 1, by: 2) {
            let u = (side * t.x - browInner) / browLength
            guard u > -0.15 && u < 1.15 else { continue }
            let eyeY = side * eyeAsymmetry / 2
            var center = eyeY - browGap - browArch * 4 * u * (1 - u) - u * browLength * browSlant
            if browRaise > 0 {
                center -= browRaise * 3.5 * (1 - 0.3 * u)
            } else {
                center -= browRaise * (2.6 * (1 - u) + 0.4)
            }
            let half = browThickness * (1.05 - 0.5 * u) * 0.5
            let body = PortableMath.coverage(half - abs(t.y - center), edge)
            let ends = PortableMath.coverage(min(u + 0.04, 1.02 - u) * browLength, edge + 1)
            let hairs = 0.7 + 0.5 * PortableMath.valueNoise(t.x * 1.6, t.y * 0.7, seed: seed &+ 8)
            color = color + (browColor - color) * (body * ends * min(browDensity * hairs, 1))
        }
        return color
    }

    @inline(__always)
    private func eyes(_ albedo: SIMD3<Float>, _ t: SIMD3<Float>) -> (color: SIMD3<Float>, wet: Float) {
        let side: Float = t.x < 0 ? -1 : 1
        let u = side * (t.x - side * eyeX)
        let v = t.y - side * eyeAsymmetry / 2 + u * eyeTilt
        let un = u / eyeHalfWidth
        let across = max(0, 1 - un * un)
        let closedLine = lowerLid * 0.35 * across
        var top = -upperLid * across.squareRoot()
        var bottom = lowerLid * across
        top += (closedLine - top) * closure
        bottom += (closedLine - bottom) * closure
        var color = albedo
        var wet: Float = 0
        let open = PortableMath.coverage(min(v - top, bottom - v), edge)
            * PortableMath.coverage((1 - abs(un)) * eyeHalfWidth, edge)
        if open > 0 {
            let irisRadius = eyeHalfWidth * 0.47, pupilRadius = irisRadius * 0.4
            let iv = v + upperLid * 0.12
            let r = (u * u + iv * iv).squareRoot()
            let sclera = SIMD3<Float>(0.84, 0.81, 0.77) * (0.72 + 0.28 * across)
            let rim = r / irisRadius
            let iris = irisColor * (1.15 - 0.5 * rim * rim * rim * rim)
            var ball = sclera + (iris - sclera) * PortableMath.coverage(irisRadius - r, edge)
            ball = ball + (SIMD3<Float>(0.02, 0.02, 0.025) - ball) * PortableMath.coverage(pupilRadius - r, edge)
            let shadow = (v - top) / 1.3
            ball *= 1 - 0.4 * PortableMath.expf(-shadow * shadow)
            color = color + (ball - color) * open
            wet = open
        }
        let inLid = PortableMath.coverage((1.12 - abs(un)) * eyeHalfWidth, edge)
        let lash = PortableMath.coverage(0.7 - abs(v - (top - 0.45)), edge) * inLid
        color = color + (lashColor - color) * (lash * 0.85)
        let lowerLine = PortableMath.coverage(0.35 - abs(v - (bottom + 0.25)), edge) * inLid
        color *= 1 - 0.25 * lowerLine
        let crease = PortableMath.coverage(0.5 - abs(v - (top - 2.6 * (1 - closure) - 0.5)), edge) * inLid
        color *= 1 - 0.15 * crease
        return (color, wet)
    }
}
