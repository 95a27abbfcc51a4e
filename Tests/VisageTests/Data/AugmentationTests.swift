import Testing
@testable import Visage

/// A 112×112 RGB gradient with a bright square, so geometry changes are visible in the values.
private func testFace() -> Image {
    var image = Image(width: 112, height: 112, channels: 3)
    for y in 0..<112 {
        for x in 0..<112 {
            let inSquare = (30..<60).contains(x) && (40..<70).contains(y)
            image[x, y, 0] = UInt8(x * 2)
            image[x, y, 1] = UInt8(y * 2)
            image[x, y, 2] = inSquare ? 250 : 20
        }
    }
    return image
}

private func meanValue(_ image: Image) -> Double {
    Double(image.pixels.reduce(0) { $0 + Int($1) }) / Double(image.pixels.count)
}

@Suite("Augmentation and degradation")
struct AugmentationTests {
    @Test(arguments: ResamplingFilter.allCases)
    func resamplingKeepsAConstantImageConstant(filter: ResamplingFilter) {
        let gray = Image(width: 112, height: 112, channels: 1, fill: 173)
        for side in [16, 37, 224] {
            let resized = gray.resized(width: side, height: side, filter: filter)
            #expect(resized.width == side && resized.height == side)
            #expect(resized.pixels.allSatisfy { $0 == 173 })
        }
    }

    @Test func areaDownsamplingAveragesBlocks() {
        let image = Image(width: 4, height: 2, channels: 1, pixels: [0, 100, 200, 40, 20, 80, 0, 0])
        let small = image.resized(width: 2, height: 1, filter: .area)
        #expect(small.pixels == [50, 60])  // (0+100+20+80)/4, (200+40+0+0)/4
    }

    @Test func flippingTwiceRestoresTheImage() {
        let face = testFace()
        #expect(face.flippedHorizontally() != face)
        #expect(face.flippedHorizontally().flippedHorizontally() == face)
        #expect(face.flippedHorizontally()[0, 5, 0] == face[111, 5, 0])
    }

    @Test(arguments: [1, 3, 4])
    func flippingMirrorsEveryChannel(channels: Int) {
        let image = DataFixtures.gradient(width: 13, height: 5, channels: channels)
        let flipped = image.flippedHorizontally()
        for y in 0..<5 {
            for x in 0..<13 {
                for c in 0..<channels { #expect(flipped[x, y, c] == image[12 - x, y, c]) }
            }
        }
    }

    @Test func blurPreservesTheMeanAndSmoothsEdges() {
        let face = testFace()
        let blurred = face.gaussianBlurred(sigma: 2)
        #expect(abs(meanValue(blurred) - meanValue(face)) < 1)
        #expect(blurred[30, 55, 2] < 250 && blurred[30, 55, 2] > 20)
    }

    @Test(arguments: [96, 64, 32, 16])
    func degradationProducesTheRequestedResolution(side: Int) throws {
        var generator = SeededRandom(seed: 1)
        let small = try Degradation(resolutions: [side], upsampleBack: false).apply(to: testFace(), using: &generator)
        #expect(small.width == side && small.height == side)
        let restored = try Degradation(resolutions: [side]).apply(to: testFace(), using: &generator)
        #expect(restored.width == 112 && restored.height == 112)
        if side < 112 { #expect(restored != testFace()) }
    }

    @Test func degradationWithEverythingIsDeterministicPerSeed() throws {
        let degradation = try Degradation(resolutions: [32, 16], filter: .bicubic, blurSigma: 0.5...1.5,
                                          noiseSigma: 2...6, jpegQuality: 30...70, illumination: 0.8)
        var a = SeededRandom(seed: 9)
        var b = SeededRandom(seed: 9)
        let first = try degradation.apply(to: testFace(), using: &a)
        #expect(try degradation.apply(to: testFace(), using: &b) == first)
        #expect(first.width == 112)
    }

    @Test func strongSideLightDarkensOneSide() {
        let gray = Image(width: 112, height: 112, channels: 1, fill: 200)
        let lit = IlluminationChange(direction: 0, sideShadow: 0.8).apply(to: gray)
        #expect(lit[110, 56, 0] > 180)  // light from the right
        #expect(lit[1, 56, 0] < 60)
    }

    @Test func invalidDegradationSettingsThrow() {
        #expect(throws: DataError.self) { try Degradation(resolutions: []) }
        #expect(throws: DataError.self) { try Degradation(resolutions: [2]) }
        #expect(throws: DataError.self) { try Degradation(jpegQuality: 0...50) }
        #expect(throws: DataError.self) { try Degradation(illumination: 2) }
    }

    @Test func augmentationIsReproducibleAndKeepsTheSize() {
        let augmentation = Augmentation(flipProbability: 0.5, cropScale: 0.8...1, brightness: 0.2, contrast: 0.2,
                                        gamma: 0.2)
        var a = SeededRandom(seed: 4)
        var b = SeededRandom(seed: 4)
        let first = augmentation.apply(to: testFace(), using: &a)
        #expect(first == augmentation.apply(to: testFace(), using: &b))
        #expect(first.width == 112 && first.height == 112)
        var c = SeededRandom(seed: 5)
        #expect(augmentation.apply(to: testFace(), using: &c) != first)
    }
}
