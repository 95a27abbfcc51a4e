/// Everything that makes one synthetic person look like themselves, derived deterministically from a seed.
///
/// Lengths are in pixels of the aligned 112×112 frame at frontal pose, measured from the midpoint between the
/// eyes (x to the image right, y down, z towards the camera); the renderer re-fits the five landmarks to the
/// ArcFace template, so only proportions survive alignment, as with real faces. Parameters are drawn from
/// overlapping population distributions (with a masculinity latent that correlates jaw, brows, beard and hair),
/// so two identities usually differ in many small ways and only sometimes in an obvious one.
///
/// It encodes as its seed alone (`{"seed": 42}`) and decodes by deriving everything again, so a stored identity
/// cannot drift from, or contradict, the one its seed defines.
public struct SyntheticIdentity: Sendable, Equatable, Codable {
    /// How the hair is cut.
    public enum HairStyle: String, Sendable, Codable, CaseIterable {
        case bald, buzz, short, sidePart, fringe, bob, long, curly
    }

    /// Facial hair.
    public enum Beard: String, Sendable, Codable, CaseIterable {
        case none, stubble, moustache, goatee, full
    }

    /// Spectacles worn in every photo of this person.
    public struct Glasses: Sendable, Equatable, Codable {
        /// True for round lenses, false for rounded rectangles.
        public var round: Bool
        /// Half the lens width.
        public var halfWidth: Double
        /// Half the lens height.
        public var halfHeight: Double
        /// Frame line width.
        public var thickness: Double
        /// Frame colour (RGB, 0...1).
        public var frameColor: SIMD3<Double>
    }

    /// A freckle or mole at a point of the frontal face.
    public struct Mark: Sendable, Equatable, Codable {
        /// Horizontal position in head pixels.
        public var x: Double
        /// Vertical position in head pixels.
        public var y: Double
        /// Radius in head pixels.
        public var radius: Double
        /// How much darker than the skin, 0...1.
        public var darkness: Double
    }

    /// The seed everything below was derived from.
    public let seed: UInt64

    // Head shape.
    /// Half width of the head at eye level.
    public private(set) var headHalfWidth: Double
    /// Distance from eye level up to the crown.
    public private(set) var crownHeight: Double
    /// Distance from eye level down to the bottom of the chin.
    public private(set) var chinDrop: Double
    /// Half depth of the head front to back.
    public private(set) var headDepth: Double
    /// Width of the lower face relative to the cheeks (0.75 narrow ... 1 wide).
    public private(set) var jawWidth: Double
    /// Superellipse exponent of the jaw outline (below 2 pointed, above 2.6 square).
    public private(set) var jawSquareness: Double
    /// Forward protrusion of the chin.
    public private(set) var chinProminence: Double
    /// Height of the cheekbones.
    public private(set) var cheekbones: Double

    // Eyes and brows.
    /// Half the distance between the eye centres.
    public private(set) var eyeHalfSpacing: Double
    /// Half the width of an eye opening.
    public private(set) var eyeHalfWidth: Double
    /// Opening height over width.
    public private(set) var eyeOpenness: Double
    /// Canthal tilt in degrees (positive: outer corners higher).
    public private(set) var eyeTilt: Double
    /// Vertical offset of the right-hand eye against the left (asymmetry).
    public private(set) var eyeAsymmetry: Double
    /// Depth of the eye sockets.
    public private(set) var eyeSocketDepth: Double
    /// Iris albedo (RGB, 0...1).
    public private(set) var irisColor: SIMD3<Double>
    /// Gap between the eye centre and the brow.
    public private(set) var browGap: Double
    /// Brow thickness at its inner end.
    public private(set) var browThickness: Double
    /// Rise of the brow arch above its ends.
    public private(set) var browArch: Double
    /// Brow length relative to the eye width.
    public private(set) var browLength: Double
    /// Brow slant in degrees (positive: outer ends higher).
    public private(set) var browSlant: Double
    /// Opacity of the brow hair, 0...1.
    public private(set) var browDensity: Double

    // Nose.
    /// Distance from eye level down to the nose tip.
    public private(set) var noseTipDrop: Double
    /// Forward protrusion of the nose tip.
    public private(set) var noseProjection: Double
    /// Width of the nose bridge between the eyes.
    public private(set) var noseBridgeWidth: Double
    /// Width of the nose tip.
    public private(set) var noseTipWidth: Double
    /// Half width across the nostril wings.
    public private(set) var noseWingHalfWidth: Double
    /// Bump (positive) or scoop (negative) of the bridge profile.
    public private(set) var noseHump: Double
    /// Sideways offset of the tip (asymmetry).
    public private(set) var noseOffset: Double

    // Mouth.
    /// Distance from eye level down to the mouth corners.
    public private(set) var mouthDrop: Double
    /// Half the mouth width.
    public private(set) var mouthHalfWidth: Double
    /// Height of the upper lip at its middle.
    public private(set) var upperLipThickness: Double
    /// Height of the lower lip at its middle.
    public private(set) var lowerLipThickness: Double
    /// Resting lift of the mouth corners (positive: up).
    public private(set) var mouthCurve: Double
    /// Lip colour relative to the skin (multiplier per channel).
    public private(set) var lipTint: SIMD3<Double>

    // Skin.
    /// Linear skin albedo.
    public private(set) var skinColor: SIMD3<Double>
    /// Amplitude of low-frequency skin blotches.
    public private(set) var skinBlotchiness: Double
    /// Redness of the cheeks.
    public private(set) var blush: Double
    /// Freckles and moles.
    public private(set) var marks: [Mark]

    // Hair and traits.
    /// Haircut.
    public private(set) var hairStyle: HairStyle
    /// Hair albedo (RGB, 0...1); brows and beard follow it.
    public private(set) var hairColor: SIMD3<Double>
    /// Height of the front hairline above eye level (a negative y).
    public private(set) var hairlineHeight: Double
    /// How far the hairline recedes at the temples.
    public private(set) var hairRecession: Double
    /// Horizontal position of the parting (side-part and long styles).
    public private(set) var hairPart: Double
    /// Thickness of the hair volume.
    public private(set) var hairVolume: Double
    /// Facial hair.
    public private(set) var beard: Beard
    /// Spectacles, if this person wears them.
    public private(set) var glasses: Glasses?
    /// Ear size relative to the average.
    public private(set) var earScale: Double

    /// The identity for `seed`: the same seed gives the same person on every run and machine.
    public init(seed: UInt64) {
        self.seed = seed
        var random = SeededRandom(seed: SeededRandom.derive(seed, 0x1DE7))
        let masculine = random.chance(0.5)
        let masculinity = min(max(random.normal(mean: masculine ? 0.78 : 0.22, deviation: 0.12), 0), 1)
        let m = masculinity - 0.5

        // Skin: three overlapping population clusters of melanin, plus an undertone.
        let cluster = random.pick(weights: [0.42, 0.32, 0.26])
        let melanin = random.normal(mean: [0.15, 0.47, 0.8][cluster], deviation: [0.07, 0.08, 0.08][cluster],
                                    clampedTo: 0...1)
        let undertone = random.normal(mean: 0, deviation: 1, clampedTo: -2.5...2.5)
        skinColor = Self.skin(melanin: melanin, undertone: undertone)
        skinBlotchiness = random.uniform(0.2...1)
        blush = random.normal(mean: 0.45 - 0.2 * m - 0.3 * melanin, deviation: 0.15, clampedTo: 0...1)

        headHalfWidth = 39 * random.normal(mean: 1 + 0.03 * m, deviation: 0.055, clampedTo: 0.85...1.15)
        crownHeight = 53 * random.normal(mean: 1, deviation: 0.04, clampedTo: 0.9...1.1)
        chinDrop = 59 * random.normal(mean: 1 + 0.03 * m, deviation: 0.05, clampedTo: 0.86...1.14)
        headDepth = 47 * random.normal(mean: 1, deviation: 0.04, clampedTo: 0.9...1.1)
        jawWidth = random.normal(mean: 0.9 + 0.07 * m, deviation: 0.06, clampedTo: 0.74...1.04)
        jawSquareness = random.normal(mean: 2.55 + 0.5 * m, deviation: 0.3, clampedTo: 1.8...3.5)
        chinProminence = random.normal(mean: 1.8 + 1.2 * m, deviation: 1, clampedTo: 0...4.5)
        cheekbones = random.normal(mean: 2.6, deviation: 1, clampedTo: 0.5...5)

        eyeHalfSpacing = 17.62 * random.normal(mean: 1, deviation: 0.045, clampedTo: 0.88...1.12)
        eyeHalfWidth = 7.6 * random.normal(mean: 1 - 0.04 * m, deviation: 0.07, clampedTo: 0.82...1.2)
        eyeOpenness = random.normal(mean: 0.44, deviation: 0.07, clampedTo: 0.28...0.62)
        eyeTilt = random.normal(mean: 3, deviation: 4, clampedTo: -8...12)
        eyeAsymmetry = random.normal(mean: 0, deviation: 0.5, clampedTo: -1.5...1.5)
        eyeSocketDepth = random.normal(mean: 3, deviation: 0.8, clampedTo: 1...5)
        irisColor = Self.iris(melanin: melanin, random: &random)
        browGap = 8.5 * random.normal(mean: 1 - 0.05 * m, deviation: 0.1, clampedTo: 0.72...1.3)
        browThickness = random.normal(mean: 2.7 + 0.9 * m, deviation: 0.55, clampedTo: 1.5...4.5)
        browArch = random.normal(mean: 1.6 - 0.6 * m, deviation: 0.8, clampedTo: -0.5...3.5)
        browLength = random.normal(mean: 1.15, deviation: 0.1, clampedTo: 0.9...1.45)
        browSlant = random.normal(mean: 0, deviation: 4, clampedTo: -10...10)
        browDensity = random.normal(mean: 0.8 + 0.1 * m, deviation: 0.12, clampedTo: 0.45...1)

        noseTipDrop = 20.1 * random.normal(mean: 1, deviation: 0.06, clampedTo: 0.84...1.16)
        noseProjection = random.normal(mean: 13 + 1.5 * m, deviation: 1.8, clampedTo: 8...19)
        noseBridgeWidth = random.normal(mean: 3.2 + 0.3 * melanin, deviation: 0.5, clampedTo: 2.2...4.6)
        noseTipWidth = random.normal(mean: 4.4 + 0.8 * melanin, deviation: 0.6, clampedTo: 3...6.5)
        noseWingHalfWidth = random.normal(mean: 7.4 + 1.6 * melanin, deviation: 0.9, clampedTo: 5.5...11)
        noseHump = random.normal(mean: 0.3 * m, deviation: 0.8, clampedTo: -1.5...2)
        noseOffset = random.normal(mean: 0, deviation: 0.4, clampedTo: -1.2...1.2)

        mouthDrop = 40.7 * random.normal(mean: 1, deviation: 0.04, clampedTo: 0.9...1.1)
        mouthHalfWidth = 14.59 * random.normal(mean: 1, deviation: 0.08, clampedTo: 0.8...1.22)
        upperLipThickness = random.normal(mean: 2.9 - 0.5 * m + 0.7 * melanin, deviation: 0.5, clampedTo: 1.5...4.6)
        lowerLipThickness = random.normal(mean: 3.8 - 0.5 * m + 0.7 * melanin, deviation: 0.6, clampedTo: 2...5.5)
        mouthCurve = random.normal(mean: 0, deviation: 0.6, clampedTo: -1.5...1.5)
        let lipRed = random.normal(mean: 0.25 - 0.25 * m, deviation: 0.12, clampedTo: 0...0.6)
        lipTint = SIMD3(0.84 + 0.1 * lipRed, 0.55 - 0.1 * lipRed, 0.56 - 0.06 * lipRed)

        marks = Self.marks(melanin: melanin, random: &random)

        let style = Self.hairStyle(masculinity: masculinity, melanin: melanin, random: &random)
        hairStyle = style
        hairColor = Self.hair(melanin: melanin, random: &random)
        hairlineHeight = random.normal(mean: 28 + 2 * m, deviation: 3, clampedTo: 20...37)
        hairRecession = masculinity > 0.5 ? random.normal(mean: 3, deviation: 3, clampedTo: 0...10)
                                          : random.normal(mean: 0.5, deviation: 1, clampedTo: 0...3)
        hairPart = random.normal(mean: 0, deviation: 12, clampedTo: -22...22)
        switch style {
        case .bald: hairVolume = 0
        case .buzz: hairVolume = random.uniform(0.6...1.4)
        case .short: hairVolume = random.uniform(2.5...5)
        case .sidePart, .fringe: hairVolume = random.uniform(4...7)
        case .bob, .long: hairVolume = random.uniform(4...8)
        case .curly: hairVolume = random.uniform(8...14)
        }
        let beardChance = masculinity > 0.5 ? 0.5 : 0.0
        beard = random.chance(beardChance)
            ? [.stubble, .moustache, .goatee, .full][random.pick(weights: [0.4, 0.12, 0.16, 0.32])] : .none
        if random.chance(0.17) {
            let round = random.chance(0.4)
            let palette: [SIMD3<Double>] = [SIMD3(0.04, 0.04, 0.05), SIMD3(0.25, 0.14, 0.08),
                                            SIMD3(0.62, 0.5, 0.28), SIMD3(0.6, 0.6, 0.62), SIMD3(0.35, 0.08, 0.1)]
            glasses = Glasses(round: round,
                              halfWidth: random.normal(mean: 11.5, deviation: 1, clampedTo: 9.5...14),
                              halfHeight: random.normal(mean: round ? 10.5 : 8.5, deviation: 1, clampedTo: 6.5...12.5),
                              thickness: random.uniform(0.7...1.6),
                              frameColor: palette[random.pick(weights: [0.4, 0.2, 0.15, 0.15, 0.1])])
        } else {
            glasses = nil
        }
        earScale = random.normal(mean: 1, deviation: 0.1, clampedTo: 0.75...1.3)
    }

    private enum CodingKeys: String, CodingKey {
        case seed
    }

    /// The identity of the decoded seed.
    public init(from decoder: any Decoder) throws {
        self.init(seed: try decoder.container(keyedBy: CodingKeys.self).decode(UInt64.self, forKey: .seed))
    }

    /// Encodes the seed alone.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(seed, forKey: .seed)
    }

    private static func skin(melanin: Double, undertone: Double) -> SIMD3<Double> {
        let stops: [SIMD3<Double>] = [SIMD3(0.95, 0.8, 0.7), SIMD3(0.86, 0.66, 0.52), SIMD3(0.68, 0.47, 0.33),
                                      SIMD3(0.42, 0.27, 0.18), SIMD3(0.24, 0.15, 0.1)]
        let position = melanin * Double(stops.count - 1)
        let index = min(Int(position), stops.count - 2)
        let f = position - Double(index)
        let base = stops[index] * (1 - f) + stops[index + 1] * f
        // Positive undertone is warmer and yellower, negative pinker.
        let shift = SIMD3(0.004, 0.012, -0.018) * undertone + SIMD3(0.01, -0.012, -0.004) * max(-undertone, 0)
        return clampedToUnit(base + shift * (1.2 - melanin))
    }

    private static func iris(melanin: Double, random: inout SeededRandom) -> SIMD3<Double> {
        let colors: [SIMD3<Double>] = [SIMD3(0.16, 0.09, 0.05), SIMD3(0.32, 0.19, 0.09), SIMD3(0.42, 0.33, 0.16),
                                       SIMD3(0.27, 0.38, 0.24), SIMD3(0.3, 0.45, 0.62), SIMD3(0.45, 0.5, 0.55)]
        let light = max(0, 0.55 - melanin) * 2
        let choice = random.pick(weights: [1.2, 1.2, 0.5 * light, 0.4 * light, 0.8 * light, 0.3 * light])
        let jitter = SIMD3(random.normal(mean: 0, deviation: 0.02), random.normal(mean: 0, deviation: 0.02),
                           random.normal(mean: 0, deviation: 0.02))
        return clampedToUnit(colors[choice] + jitter)
    }

    private static func hair(melanin: Double, random: inout SeededRandom) -> SIMD3<Double> {
        let colors: [SIMD3<Double>] = [SIMD3(0.045, 0.035, 0.03), SIMD3(0.13, 0.085, 0.055), SIMD3(0.27, 0.17, 0.1),
                                       SIMD3(0.45, 0.32, 0.19), SIMD3(0.72, 0.58, 0.36), SIMD3(0.55, 0.24, 0.1),
                                       SIMD3(0.52, 0.5, 0.48), SIMD3(0.8, 0.78, 0.75)]
        let light = max(0, 0.5 - melanin) * 2
        let choice = random.pick(weights: [1 + melanin, 1, 0.9 * light + 0.1, 0.7 * light, 0.6 * light,
                                           0.2 * light, 0.12, 0.05])
        let brightness = random.normal(mean: 1, deviation: 0.08, clampedTo: 0.8...1.2)
        return clampedToUnit(colors[choice] * brightness)
    }

    private static func hairStyle(masculinity: Double, melanin: Double, random: inout SeededRandom) -> HairStyle {
        let f = masculinity
        let weights: [Double] = [0.1 * f, 0.22 * f + 0.02, 0.35 * f + 0.06, 0.2 * f + 0.1 * (1 - f),
                                 0.05 * f + 0.16 * (1 - f), 0.2 * (1 - f), 0.03 * f + 0.36 * (1 - f),
                                 (0.05 + 0.12 * melanin) * (0.6 + 0.4 * (1 - f))]
        return HairStyle.allCases[random.pick(weights: weights)]
    }

    private static func marks(melanin: Double, random: inout SeededRandom) -> [Mark] {
        var marks: [Mark] = []
        if melanin < 0.4 && random.chance(0.3) {
            let count = Int(random.uniform(15...80))
            for _ in 0..<count {
                let side = random.chance(0.5) ? -1.0 : 1.0
                let acrossNose = random.chance(0.2)
                marks.append(Mark(x: acrossNose ? random.normal(mean: 0, deviation: 5) : side * random.normal(mean: 16, deviation: 7),
                                  y: random.normal(mean: acrossNose ? 12 : 14, deviation: 6),
                                  radius: random.uniform(0.45...0.8), darkness: random.uniform(0.12...0.3)))
            }
        }
        let moles = random.pick(weights: [0.35, 0.3, 0.2, 0.1, 0.05])
        for _ in 0..<moles {
            var x = 0.0, y = 0.0
            repeat {
                x = random.uniform(-30...30)
                y = random.uniform(-22...56)
            } while abs(y) < 7 && abs(abs(x) - 17) < 11     // not on an eye
            marks.append(Mark(x: x, y: y, radius: random.uniform(0.8...1.5), darkness: random.uniform(0.35...0.65)))
        }
        return marks
    }
}

/// Each component clamped to 0...1.
private func clampedToUnit(_ v: SIMD3<Double>) -> SIMD3<Double> {
    v.clamped(lowerBound: SIMD3(repeating: 0), upperBound: SIMD3(repeating: 1))
}
