import Testing
@testable import Visage

/// How DMFR's Yale B hard-lighting protocol reads the light direction from file names.
@Suite struct DMFRProtocolTests {
    @Test func yaleLightingGroupsFollowTheSharedPairRules() throws {
        let frontal = try #require(YaleLighting(fileName: "yaleB01/yaleB01_P00A+000E+20.png"))
        #expect(frontal.azimuth == 0 && frontal.elevation == 20 && frontal.isNearFrontal && !frontal.isExtreme)
        let side = try #require(YaleLighting(fileName: "yaleB01_P00A-070E+00.png"))
        #expect(side.azimuth == -70 && side.isExtreme && !side.isNearFrontal)
        let high = try #require(YaleLighting(fileName: "yaleB02_P00A+035E+65.png"))
        #expect(high.elevation == 65 && high.isExtreme)
        let between = try #require(YaleLighting(fileName: "yaleB02_P00A+050E+00.png"))
        #expect(!between.isExtreme && !between.isNearFrontal)
        #expect(YaleLighting(fileName: "yaleB01_P00_Ambient.png") == nil)
    }
}
