import Foundation
import Testing
@testable import SyntheticFaces

/// Identities: deterministic per seed, varied across seeds, within plausible ranges.
@Suite("Synthetic identities")
struct SyntheticIdentityTests {
    @Test("An identity is a pure function of its seed", arguments: [0, 1, 123_456_789, UInt64.max])
    func deterministic(seed: UInt64) throws {
        #expect(SyntheticIdentity(seed: seed) == SyntheticIdentity(seed: seed))
        // Stored as the seed alone, and decoded by deriving the same person again.
        let encoded = try JSONEncoder().encode(SyntheticIdentity(seed: seed))
        #expect(String(decoding: encoded, as: UTF8.self) == "{\"seed\":\(seed)}")
        #expect(try JSONDecoder().decode(SyntheticIdentity.self, from: encoded) == SyntheticIdentity(seed: seed))
    }

    @Test("Parameters are pinned across machines")
    func pinned() {
        // Integer and basic IEEE arithmetic only: these exact values must come out everywhere.
        let identity = SyntheticIdentity(seed: 2024)
        #expect(identity.eyeHalfSpacing.bitPattern == 0x4030_B11F_CE70_A0F5)   // 16.691891577241183
        #expect(identity.hairStyle == .long)
    }

    @Test("Seeds spread over every trait, with plausible proportions")
    func variety() {
        let identities = (0..<400).map { SyntheticIdentity(seed: UInt64($0)) }
        #expect(Set(identities.map(\.hairStyle)) == Set(SyntheticIdentity.HairStyle.allCases))
        #expect(Set(identities.map(\.beard)) == Set(SyntheticIdentity.Beard.allCases))
        let glasses = identities.filter { $0.glasses != nil }.count
        #expect((30...110).contains(glasses))
        let luminance = identities.map { 0.3 * $0.skinColor.x + 0.59 * $0.skinColor.y + 0.11 * $0.skinColor.z }
        #expect(luminance.min()! < 0.3 && luminance.max()! > 0.75)
        for identity in identities {
            // Landmark geometry stays near the template's proportions (eyes 35.2 px apart, mouth 29.2 wide).
            #expect((14.5...20).contains(identity.eyeHalfSpacing))
            #expect((11...18).contains(identity.mouthHalfWidth))
            #expect(identity.noseTipDrop < identity.mouthDrop && identity.mouthDrop < identity.chinDrop)
            for channel in 0..<3 { #expect((0...1).contains(identity.skinColor[channel])) }
        }
    }

    @Test("Different seeds give different people")
    func distinct() {
        let identities = (0..<50).map { SyntheticIdentity(seed: UInt64($0)) }
        #expect(Set(identities.map(\.eyeHalfSpacing)).count == 50)
        #expect(Set(identities.map(\.noseTipDrop)).count == 50)
    }
}
