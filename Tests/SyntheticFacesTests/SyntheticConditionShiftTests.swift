import Testing
@testable import SyntheticFaces

/// A condition shift moves one quantity of a photo out of the standard ranges and keeps the rest of the photo.
@Suite("Synthetic condition shift")
struct SyntheticConditionShiftTests {
    static let dataset = try! SyntheticDataset(identities: 6, imagesPerIdentity: 4, seed: 11)

    /// `conditions` with the quantity `shift` moves set to that of `reference`, so that the rest can be compared.
    static func withShiftedQuantity(of reference: SyntheticConditions, _ conditions: SyntheticConditions,
                                    _ shift: SyntheticConditionShift) -> SyntheticConditions {
        var copy = conditions
        switch shift {
        case .yaw: copy.yaw = reference.yaw
        case .resolution: copy.resolution = reference.resolution
        }
        return copy
    }

    @Test("the shifted quantity leaves the standard range, nothing else changes",
          arguments: [SyntheticConditionShift.largePose, .lowResolution])
    func movesOneQuantity(shift: SyntheticConditionShift) throws {
        let standard = SyntheticConditionRanges.standard
        for identity in 0..<6 {
            for image in 0..<4 {
                let drawn = Self.dataset.conditions(identity: identity, image: image)
                let shifted = Self.dataset.conditions(identity: identity, image: image, shift: shift)
                #expect(abs(drawn.yaw) <= standard.maxYaw && standard.resolutions.contains(drawn.resolution))
                switch shift {
                case .yaw(let range):
                    #expect(range.contains(abs(shifted.yaw)) && abs(shifted.yaw) > standard.maxYaw)
                    #expect((shifted.yaw < 0) == (drawn.yaw < 0), "the head turns further to the side it faced")
                case .resolution(let sides):
                    #expect(sides.contains(shifted.resolution) && shifted.resolution < standard.resolutions.min()!)
                }
                #expect(Self.withShiftedQuantity(of: drawn, shifted, shift) == drawn)
                #expect(shifted == Self.dataset.conditions(identity: identity, image: image, shift: shift))
            }
        }
    }

    @Test("the shifted values vary across photos")
    func shiftedValuesVary() {
        let photos = (0..<24).map { (identity: $0 / 4, image: $0 % 4) }
        let yaws = Set(photos.map { Self.dataset.conditions(identity: $0.identity, image: $0.image, shift: .largePose).yaw })
        let sides = Set(photos.map {
            Self.dataset.conditions(identity: $0.identity, image: $0.image, shift: .lowResolution).resolution
        })
        #expect(yaws.count == 24)
        #expect(sides == [16, 20, 24])
    }

    @Test("shifts the renderer cannot honour are rejected",
          arguments: [SyntheticConditionShift.yaw(-5...10), .yaw(30...95), .resolution([]), .resolution([2]),
                      .resolution([16, 200])])
    func invalidShifts(shift: SyntheticConditionShift) {
        #expect(throws: SyntheticFaceError.self) { try shift.validate() }
        #expect(throws: SyntheticFaceError.self) { try Self.dataset.face(identity: 0, image: 0, shift: shift) }
    }

    @Test("labels name the shift in plain ASCII")
    func labels() {
        #expect(SyntheticConditionShift.largePose.label == "pose-shifted (yaw 45-60 deg)")
        #expect(SyntheticConditionShift.lowResolution.label == "resolution-shifted (16/20/24 px)")
        #expect(SyntheticConditionShift.yaw(40.5...50).label == "pose-shifted (yaw 40.5-50 deg)")
    }
}
