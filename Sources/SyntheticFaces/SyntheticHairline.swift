/// Where hair and beard grow on one identity's head, as rough signed distances (head pixels, positive inside)
/// evaluated on the undisplaced surface: per vertex to shape the hair volume, and per pixel for crisp,
/// anti-aliased hairlines that do not follow the mesh.
struct SyntheticHairline: Sendable {
    private let style: SyntheticIdentity.HairStyle
    private let beardStyle: SyntheticIdentity.Beard
    private let halfWidth: Float, hairline: Float, recession: Float, browGap: Float, part: Float
    /// (longitude in degrees, boundary y) beyond the front; the front boundary depends on x.
    private let knots: [SIMD2<Float>]
    private let noseTip: Float, mouth: Float, mouthHalfWidth: Float, upperLip: Float

    init(_ identity: SyntheticIdentity) {
        style = identity.hairStyle
        beardStyle = identity.beard
        halfWidth = Float(identity.headHalfWidth)
        hairline = Float(identity.hairlineHeight)
        recession = Float(identity.hairRecession)
        browGap = Float(identity.browGap)
        part = Float(identity.hairPart)
        switch identity.hairStyle {
        case .bob, .long: knots = [SIMD2(45, 0), SIMD2(57, 300), SIMD2(180, 300)]
        case .curly: knots = [SIMD2(45, 0), SIMD2(62, 300), SIMD2(180, 300)]
        case .buzz: knots = [SIMD2(45, 0), SIMD2(72, 10), SIMD2(88, -4), SIMD2(110, 4), SIMD2(150, 30), SIMD2(180, 30)]
        default: knots = [SIMD2(45, 0), SIMD2(72, 12), SIMD2(88, -3), SIMD2(110, 6), SIMD2(150, 36), SIMD2(180, 36)]
        }
        noseTip = Float(identity.noseTipDrop)
        mouth = Float(identity.mouthDrop)
        mouthHalfWidth = Float(identity.mouthHalfWidth)
        upperLip = Float(identity.upperLipThickness)
    }

    /// Whether this identity has any hair or beard at all.
    var hasHair: Bool { style != .bald }
    var hasBeard: Bool { beardStyle != .none }

    /// Distance into the hair at a base point (x, y) whose longitude is `longitude` degrees from the front.
    @inline(__always)
    func hair(_ x: Float, _ y: Float, longitude: Float) -> Float {
        if style == .bald { return -20 }
        let ax = abs(x)
        let temple = PortableMath.smoothstep(0.5 * halfWidth, halfWidth, ax)
        var front = -hairline - recession * PortableMath.smoothstep(0.15 * halfWidth, 0.6 * halfWidth, ax) + 15 * temple * temple
        switch style {
        case .fringe:
            front = max(front, min(-browGap - 5.5 + 0.006 * x * x, -6))
        case .sidePart:
            let away: Float = part > 0 ? -1 : 1
            front = max(front, -hairline + 13 * PortableMath.smoothstep(part, part + away * 34, x))
        case .curly:
            front += 2
        case .bob, .long:
            front += 9 * PortableMath.smoothstep(0.25 * halfWidth, 0.75 * halfWidth, ax)
        default:
            break
        }
        var boundary = front
        if longitude > knots[0].x {
            boundary = knots[knots.count - 1].y
            var k = 1
            while k < knots.count {
                if longitude <= knots[k].x {
                    let start = k == 1 ? SIMD2(knots[0].x, front) : knots[k - 1]
                    boundary = start.y + (knots[k].y - start.y) * (longitude - start.x) / (knots[k].x - start.x)
                    break
                }
                k += 1
            }
        }
        return boundary - y
    }

    /// Distance into the beard at a base point.
    @inline(__always)
    func beard(_ x: Float, _ y: Float, longitude: Float) -> Float {
        guard beardStyle != .none, longitude < 110 else { return -20 }
        // A moustache hugs the upper lip and droops at its ends.
        let across = x / (mouthHalfWidth * 1.05)
        let droop = 2.5 * across * across
        let lipTop = mouth - 0.4 * upperLip + droop
        let moustache = min(y - (max(noseTip + 4, lipTop - 7.5)), lipTop - y, mouthHalfWidth * 1.05 - abs(x))
        switch beardStyle {
        case .none:
            return -20
        case .moustache:
            return moustache
        case .goatee:
            let rx = mouthHalfWidth * 0.6, ry: Float = 9
            let dx = x / rx, dy = (y - (mouth + 10)) / ry
            return max(moustache, (1 - (dx * dx + dy * dy).squareRoot()) * min(rx, ry))
        case .stubble, .full:
            let reach = abs(x) / (0.88 * halfWidth)
            let side = min(1, reach * reach)
            let top = (noseTip + 5) + (4 - (noseTip + 5)) * side
            return min(y - top, (95 - longitude) * 0.5)
        }
    }
}
