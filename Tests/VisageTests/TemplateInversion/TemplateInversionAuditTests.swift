import Foundation
import Testing
import Torch
@testable import Visage

@Suite("Template inversion: the audit")
struct TemplateInversionAuditTests {
    static let dlibStamp = EngineCatalogue.dlibResNet.stamp

    /// A folder with `name.npy`, its `.txt` list and, unless `stamp` is nil, its `.json` stamp.
    static func writeTemplates(rows: Int, dimension: Int, stamp: FeatureStamp?) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent("templates.npy")
        let matrix = try FeatureMatrix(rows: rows, columns: dimension,
                                       values: (0..<(rows * dimension)).map { Float($0 % 7) + 1 })
        try FeatureFile(features: matrix, paths: (0..<rows).map { "aligned/P\($0 / 2)/P\($0 / 2)_000\($0 % 2 + 1).jpg" })
            .write(features: url)
        try stamp?.write(for: url)
        return url
    }

    @Test("refuses templates stamped as another engine's, unstamped ones, and a wrong width")
    func refusesMismatchedTemplates() throws {
        let good = try Self.writeTemplates(rows: 4, dimension: 128, stamp: FeatureStamp(model: Self.dlibStamp, dimension: 128))
        #expect(try EngineTemplates.load(good, engine: Self.dlibStamp, dimension: 128).features.rows == 4)

        let other = try Self.writeTemplates(rows: 4, dimension: 128,
                                            stamp: FeatureStamp(model: EngineCatalogue.mobileFaceNetMS1M.stamp, dimension: 128))
        #expect(throws: DataFileError.self) { try EngineTemplates.load(other, engine: Self.dlibStamp, dimension: 128) }
        do {
            _ = try EngineTemplates.load(other, engine: Self.dlibStamp, dimension: 128)
        } catch {
            #expect("\(error)".contains("mobilefacenet-ms1m"), "\(error)")
        }
        let unstamped = try Self.writeTemplates(rows: 4, dimension: 128, stamp: nil)
        #expect(throws: DataFileError.self) { try EngineTemplates.load(unstamped, engine: Self.dlibStamp, dimension: 128) }
        let narrow = try Self.writeTemplates(rows: 4, dimension: 64, stamp: FeatureStamp(model: Self.dlibStamp, dimension: 64))
        #expect(throws: DataFileError.self) { try EngineTemplates.load(narrow, engine: Self.dlibStamp, dimension: 128) }
    }

    @Test("type I, type II and FAR thresholds on a worked example")
    func attackScores() throws {
        // Four photos of two people along the axes; reconstructions: photo 0's lands on photo 0, photo 1's on
        // photo 0 (its person's other photo), photo 2's is orthogonal to everything, photo 3's on photo 3.
        let real = try FeatureMatrix(rows: 4, columns: 3, values: [1, 0, 0, 0.8, 0.6, 0, 0, 0, 1, 0, 0.6, 0.8])
        let fake = try FeatureMatrix(rows: 4, columns: 3, values: [1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0.6, 0.8])
        let scores = try InversionAttackScores(engine: "e", real: real, reconstructed: fake, identities: [0, 0, 1, 1],
                                               engineThreshold: 0.7, falseAcceptRates: [0.25, 0.001])
        // Impostors: (0,2) 0, (0,3) 0, (1,2) 0, (1,3) 0.36 — four pairs, so FAR 0.1 % is not measurable.
        #expect(scores.impostorPairs == 4 && scores.typeIIPairs == 4)
        #expect(scores.points.map(\.name) == ["engine threshold", "FAR 25 %"])
        let engine = scores.points[0]
        // Type I cosines 1, 0.8, 0, 1 → 3 of 4 at 0.7; type II: 0→1 0.8, 1→0 1, 2→3 0.6, 3→2 0.8 → 3 of 4.
        #expect(engine.typeI == 0.75 && engine.typeII == 0.75 && engine.falseAcceptRate == 0)
        #expect(abs(scores.meanTypeICosine - 0.7) < 1e-6)
        // FAR 25 %: one impostor of four may pass: the threshold sits just above the second-highest score (0).
        let far = scores.points[1]
        #expect(far.threshold > 0 && far.threshold < 1e-6 && far.falseAcceptRate == 0.25)
        #expect(far.typeI == 0.75)
        #expect(throws: DataError.self) {
            try InversionAttackScores(engine: "e", real: real, reconstructed: fake, identities: [0, 0, 1],
                                      engineThreshold: nil)
        }
    }

    @Test("an inverter saved and loaded reconstructs the same faces; bad metadata is refused")
    func inverterRoundTrip() throws {
        Runtime.seed(1)
        let generator = TemplateInverter.makeGenerator(.gan, templateDimension: 8, faceSize: 16)
        let inverter = TemplateInverter(method: .gan, engine: "e-1", templateDimension: 8, faceSize: 16, generator: generator)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("inverter-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try inverter.save(to: folder.appendingPathComponent("inverter.safetensors"))
        let loaded = try TemplateInverter.load(from: folder)
        #expect(loaded.method == .gan && loaded.engine == "e-1" && loaded.faceSize == 16)
        let templates = try FeatureMatrix(rows: 3, columns: 8, values: (0..<24).map { Float($0) })
        generator.eval()
        let a = try inverter.reconstruct(templates), b = try loaded.reconstruct(templates)
        #expect(a.count == 3 && a[0].width == 16 && a.map(\.pixels) == b.map(\.pixels))
        #expect(throws: DataError.self) {
            try loaded.reconstruct(try FeatureMatrix(rows: 1, columns: 4, values: [1, 2, 3, 4]))
        }
        let bare = folder.appendingPathComponent("bare.safetensors")
        try generator.save(to: bare)
        #expect(throws: DataFileError.self) { try TemplateInverter.load(from: bare) }
    }

    @Test("generators, critic and student give the shapes the losses expect")
    func shapes() {
        let templates = Tensor.randn([2, 8])
        #expect(InversionGenerator(templateDimension: 8, size: 32)(templates).shape == [2, 3, 32, 32])
        #expect(NbNetGenerator(templateDimension: 8, size: 32)(templates).shape == [2, 3, 32, 32])
        #expect(InversionCritic(size: 32)(Tensor.randn([2, 3, 32, 32])).shape == [2])
        let (template, intermediates) = InversionStudent(templateDimension: 8).features(Tensor.randn([2, 3, 32, 32]))
        #expect(template.shape == [2, 8] && intermediates.map { $0.shape[1] } == [32, 64, 128, 256])
        #expect(intermediates.last!.shape == [2, 256, 2, 2])
    }
}
