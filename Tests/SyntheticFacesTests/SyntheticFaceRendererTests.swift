import Foundation
import Testing
@testable import SyntheticFaces

/// The renderer: output geometry, determinism, identity and nuisance sensitivity, landmark alignment.
@Suite("Synthetic face renderer")
struct SyntheticFaceRendererTests {
    static let renderer = SyntheticFaceRenderer()
    static let head = SyntheticHead(SyntheticIdentity(seed: 11))

    static func meanAbsoluteDifference(_ a: Image, _ b: Image) -> Double {
        zip(a.pixels, b.pixels).reduce(0.0) { $0 + abs(Double($1.0) - Double($1.1)) } / Double(a.pixels.count)
    }

    static func distance(_ p: SIMD2<Double>, _ q: SIMD2<Double>) -> Double {
        ((p - q) * (p - q)).sum().squareRoot()
    }

    @Test("Renders 112×112 RGB")
    func geometry() throws {
        let image = try Self.renderer.render(Self.head, .frontal)
        #expect(image.width == 112 && image.height == 112 && image.channels == 3)
        #expect(image.pixels.count == 112 * 112 * 3)
    }

    @Test("Same identity and conditions give identical bytes, also through a fresh head")
    func deterministic() throws {
        var random = SeededRandom(seed: 3)
        let conditions = SyntheticConditions.random(using: &random, in: .hard)
        let first = try Self.renderer.renderFace(Self.head, conditions)
        let second = try Self.renderer.renderFace(SyntheticHead(SyntheticIdentity(seed: 11)), conditions)
        #expect(first == second)
        #expect(try Self.renderer.render(SyntheticIdentity(seed: 11), conditions) == first.image)
    }

    @Test("Different identities give clearly different images")
    func identitiesDiffer() throws {
        let images = try (0..<6).map { try Self.renderer.render(SyntheticIdentity(seed: UInt64(100 + $0)), .frontal) }
        for i in 0..<images.count {
            for j in (i + 1)..<images.count {
                #expect(Self.meanAbsoluteDifference(images[i], images[j]) > 4)
            }
        }
    }

    /// One change away from the frontal photo per nuisance the conditions control.
    static let nuisances: [(String, @Sendable (inout SyntheticConditions) -> Void)] = [
        ("yaw", { $0.yaw = 20 }), ("pitch", { $0.pitch = 15 }), ("roll", { $0.roll = 8 }),
        ("light azimuth", { $0.lightAzimuth = 50 }), ("light elevation", { $0.lightElevation = -20 }),
        ("light strength", { $0.lightStrength = 1.2 }), ("ambient", { $0.ambient = 0.1 }),
        ("smile", { $0.expression.smile = 1 }), ("mouth open", { $0.expression.mouthOpen = 1 }),
        ("brow raise", { $0.expression.browRaise = 1 }), ("frown", { $0.expression.browRaise = -1 }),
        ("eye closure", { $0.expression.eyeClosure = 1 }), ("blur", { $0.blurSigma = 1.5 }),
        ("noise", { $0.noiseSigma = 8 }), ("resolution", { $0.resolution = 24 }),
        ("sunglasses", { $0.occlusion = .sunglasses }), ("mask", { $0.occlusion = .mask(color: SIMD3(0.9, 0.9, 0.9)) }),
        ("bar", { $0.occlusion = .bar(x: 56, y: 60, length: 90, thickness: 10, angle: 30, color: SIMD3(0.2, 0.5, 0.2)) }),
        ("patch", { $0.occlusion = .patch(x: 30, y: 40, width: 30, height: 25, color: SIMD3(0.9, 0.1, 0.1)) }),
        ("background", { $0.backgroundTop = SIMD3(0.1, 0.2, 0.6) }),
    ]

    @Test("Every nuisance changes the image", arguments: 0..<nuisances.count)
    func nuisanceChangesImage(index: Int) throws {
        let (name, change) = Self.nuisances[index]
        var conditions = SyntheticConditions.frontal
        change(&conditions)
        let frontal = try Self.renderer.render(Self.head, .frontal)
        let changed = try Self.renderer.render(Self.head, conditions)
        let pixelsChanged = zip(frontal.pixels, changed.pixels).filter { abs(Int($0) - Int($1)) > 3 }.count
        #expect(pixelsChanged > 150, "\(name) changed only \(pixelsChanged) channel values")
    }

    @Test("Frontal landmarks land on the ArcFace template", arguments: 0..<12)
    func frontalLandmarks(seed: Int) throws {
        let face = try Self.renderer.renderFace(SyntheticHead(SyntheticIdentity(seed: UInt64(seed))), .frontal)
        #expect(face.landmarks.count == 5)
        let errors = zip(face.landmarks, SyntheticFaceRenderer.template).map { Self.distance($0, $1) }
        #expect(errors.max()! < 4.5, "landmark errors \(errors)")
        #expect(errors.reduce(0, +) / 5 < 2.5, "landmark errors \(errors)")
    }

    @Test("Roll turns the aligned landmarks about the template centre")
    func rollTurnsLandmarks() throws {
        var conditions = SyntheticConditions.frontal
        conditions.roll = 10
        let upright = try Self.renderer.renderFace(Self.head, .frontal).landmarks
        let rolled = try Self.renderer.renderFace(Self.head, conditions).landmarks
        let eyeAngle = { (points: [SIMD2<Double>]) in atan2(points[1].y - points[0].y, points[1].x - points[0].x) }
        // Counter-clockwise on screen lifts the right eye (smaller y) by 10 degrees.
        #expect(abs((eyeAngle(upright) - eyeAngle(rolled)) * 180 / .pi - 10) < 0.01)
    }

    @Test("Features are drawn where the landmarks say")
    func featuresAtLandmarks() throws {
        for seed in 0..<8 {
            let face = try Self.renderer.renderFace(SyntheticHead(SyntheticIdentity(seed: UInt64(seed))), .frontal)
            func luma(_ p: SIMD2<Double>) -> Double {
                let x = Int(p.x.rounded()), y = Int(p.y.rounded())
                return (0..<3).reduce(0.0) { $0 + Double(face.image[x, y, $1]) } / 3
            }
            let eyes = (luma(face.landmarks[0]) + luma(face.landmarks[1])) / 2
            // The cheek below each eye, where there is skin (or beard) but no pupil.
            let cheeks = (luma(face.landmarks[0] + SIMD2(0, 12)) + luma(face.landmarks[1] + SIMD2(0, 12))) / 2
            #expect(eyes < cheeks - 20, "seed \(seed): pupils \(eyes) not darker than cheeks \(cheeks)")
        }
    }

    @Test("The nose casts a shadow on the cheek under grazing light, not under frontal light")
    func noseShadow() {
        let head = Self.head
        let x = -9.0, y = head.identity.noseTipDrop - 3
        let cheek = SIMD3<Float>(Float(x), Float(y), Float(head.shape.frontDepth(x: x, y: y)))
        let normal = SIMD3<Float>(0, 0, 1)
        let grazing = SIMD3<Float>(0.95, 0, 0.31) / (SIMD3<Float>(0.95, 0, 0.31) * SIMD3<Float>(0.95, 0, 0.31)).sum().squareRoot()
        #expect(SyntheticShadowMap(head, light: grazing).light(at: cheek, normal: normal) < 0.5)
        #expect(SyntheticShadowMap(head, light: SIMD3(0, 0, 1)).light(at: cheek, normal: normal) == 1)
        // The mirrored cheek faces the grazing light with nothing in between.
        let other = SIMD3<Float>(-cheek.x, cheek.y, cheek.z)
        #expect(SyntheticShadowMap(head, light: grazing).light(at: other, normal: normal) == 1)
    }

    @Test("Yaw moves the nose towards the turned side")
    func yawDirection() throws {
        var conditions = SyntheticConditions.frontal
        conditions.yaw = 30
        let landmarks = try Self.renderer.renderFace(Self.head, conditions).landmarks
        let eyeMid = (landmarks[0].x + landmarks[1].x) / 2
        #expect(landmarks[2].x > eyeMid + 3)
        #expect(Self.distance(landmarks[0], landmarks[1]) > 25)
    }

    static let invalid: [(String, @Sendable (inout SyntheticConditions) -> Void)] = [
        ("resolution", { $0.resolution = 3 }), ("resolution", { $0.resolution = 200 }), ("yaw", { $0.yaw = 120 }),
        ("pitch", { $0.pitch = .nan }), ("blurSigma", { $0.blurSigma = -1 }),
        ("noiseSigma", { $0.noiseSigma = .infinity }), ("smile", { $0.expression.smile = 2 }),
        ("browRaise", { $0.expression.browRaise = -1.5 }), ("blurSigma", { $0.blurSigma = 1e6 }),
        ("backgroundTop", { $0.backgroundTop = SIMD3(0.5, .nan, 0.5) }),
        ("mask color", { $0.occlusion = .mask(color: SIMD3(2, 0, 0)) }),
        ("bar thickness", { $0.occlusion = .bar(x: 50, y: 50, length: 40, thickness: -3, angle: 0, color: SIMD3(0, 0, 0)) }),
        ("patch x", { $0.occlusion = .patch(x: .infinity, y: 0, width: 10, height: 10, color: SIMD3(0, 0, 0)) }),
    ]

    @Test("Conditions the renderer cannot honour throw, naming the value", arguments: 0..<invalid.count)
    func invalidConditions(index: Int) {
        let (name, change) = Self.invalid[index]
        var conditions = SyntheticConditions.frontal
        change(&conditions)
        do {
            _ = try Self.renderer.render(Self.head, conditions)
            Issue.record("\(name) was accepted")
        } catch let error as SyntheticFaceError {
            #expect(error.description.hasPrefix("invalid \(name) "), "\(error)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("Identity survives mild nuisance and suffers under hard nuisance")
    func learnableAndHurt() throws {
        // Nearest neighbour on raw pixels of the face region, gallery of frontal photos: a crude recogniser,
        // which must find most people under no nuisance and fewer as the nuisance grows.
        func feature(_ image: Image) -> [Double] {
            var f: [Double] = []
            for y in stride(from: 24, to: 104, by: 3) {
                for x in stride(from: 24, to: 88, by: 3) { for c in 0..<3 { f.append(Double(image[x, y, c])) } }
            }
            let mean = f.reduce(0, +) / Double(f.count)
            let centred = f.map { $0 - mean }
            let norm = centred.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return centred.map { $0 / norm }
        }
        let people = 12
        var accuracy: [Double] = []
        for ranges in [SyntheticConditionRanges.none, .hard] {
            let dataset = try SyntheticDataset(identities: people, imagesPerIdentity: 3, seed: 5, ranges: ranges)
            let heads = (0..<people).map { SyntheticHead(dataset.identity($0)) }
            let gallery = try heads.map { feature(try Self.renderer.render($0, .frontal)) }
            var correct = 0
            for person in 0..<people {
                for image in 0..<3 {
                    let probe = feature(try dataset.face(identity: person, image: image, head: heads[person]).image)
                    let scores = gallery.map { zip($0, probe).reduce(0) { $0 + $1.0 * $1.1 } }
                    if scores.firstIndex(of: scores.max()!) == person { correct += 1 }
                }
            }
            accuracy.append(Double(correct) / Double(people * 3))
        }
        #expect(accuracy[0] > 0.9, "accuracy without nuisance \(accuracy[0])")
        #expect(accuracy[1] < accuracy[0] - 0.2, "hard nuisance barely hurt: \(accuracy)")
        #expect(accuracy[1] > 1.0 / Double(people), "hard nuisance left no identity: \(accuracy)")
    }
}
