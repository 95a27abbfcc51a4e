import Foundation

/// dlib's reference outputs for the MMOD detector (`scripts/fixtures/mmod_fixture.py`).
struct MMODReference: Decodable {
    struct Photo: Decodable {
        var path: String
        var width: Int
        var height: Int
        /// `[left, top, right, bottom, confidence]` per box, upsample 0.
        var upsample0: [[Double]]
        /// The same at upsample 1.
        var upsample1: [[Double]]
    }

    struct Upsample: Decodable {
        var input_shape: [Int]
        var input: [UInt8]
        var output_shape: [Int]
        var output: [UInt8]
    }

    var detections: [Photo]
    /// Per image size, `[rows, columns]` of each `pyramid_down<6>` level.
    var pyramid_levels: [[[Int]]]
    var upsample: Upsample

    static let url = EngineWeightsFixtures.fixtures.appendingPathComponent("mmod_reference.json")

    static func load() throws -> MMODReference {
        try JSONDecoder().decode(MMODReference.self, from: Data(contentsOf: url))
    }
}
