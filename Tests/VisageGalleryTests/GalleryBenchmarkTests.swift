import Foundation
import Testing
import Visage
import VisageGallery
@testable import VisageGalleryBenchmarks

/// `visage bench gallery` at a tiny size: every size × kind row, its ratios to exact search, recall and the
/// synthetic top-up (the timings themselves are the command's business).
@Suite("Gallery benchmark")
struct GalleryBenchmarkTests {
    /// 400 random 16-value templates of 40 people ("person i/photo j.jpg").
    static func real() throws -> (FeatureMatrix, [String]) {
        var random = SeededRandom(seed: 4)
        let centres = (0..<40).map { _ in (0..<16).map { _ in Float(random.normal()) } }
        var values: [Float] = [], paths: [String] = []
        for row in 0..<400 {
            values += centres[row % 40].map { $0 + Float(random.normal(mean: 0, deviation: 0.5)) }
            paths.append("person\(row % 40)/photo\(row).jpg")
        }
        return (try FeatureMatrix(rows: 400, columns: 16, values: values), paths)
    }

    @Test("A tiny run reports every size and kind with its ratios to exact search, and exact and flat recall 1")
    func tinyRunReportsEveryRow() throws {
        let (matrix, paths) = try Self.real()
        var benchmark = try GallerySearchBenchmark(real: matrix, paths: paths)
        benchmark.sizes = [300, 2000]
        benchmark.probes = 40
        benchmark.latencyProbes = 10
        benchmark.batch = 16
        benchmark.showProgress = false
        benchmark.parameters = SearchIndexParameters(m: 8, efSearch: 16)
        let result = try benchmark.measure()
        #expect(result.rows.map(\.size) == [300, 300, 300, 300, 2000, 2000, 2000, 2000])
        #expect(result.rows.map(\.kind) == [.exact, .flat, .ivf, .hnsw, .exact, .flat, .ivf, .hnsw])
        #expect(result.realInGallery == 360)
        // Same-person cosine of these clusters: 1/(1 + 0.25·16/|c|²)-ish, well inside (0, 1); the noise follows it.
        #expect(result.sameIdentityCosine > 0.3 && result.sameIdentityCosine < 0.95 && result.noise > 0)
        for row in result.rows {
            #expect(row.p50 > 0 && row.p99 >= row.p50 && row.perSecondSingle > 0 && row.perSecondBatched > 0)
            #expect(row.buildSeconds >= 0 && row.memoryBytes >= row.size * 16 * 4)
            if row.kind == .exact || row.kind == .flat { #expect(row.recallAt1 == 1) }
            #expect((0...1).contains(row.recallAt1))
        }
        let report = benchmark.report(result).split(separator: "\n").map(String.init)
        #expect(report.count == 3 + 8)
        #expect(report[2].contains("×exact") && report[2].contains("recall@1") && report[2].contains("p99 ms"))
        let exactLines = report.filter { $0.contains(" exact ") }
        #expect(exactLines.count == 2 && exactLines.allSatisfy { $0.contains("1.00") && $0.hasSuffix("1.0000") })
        for kind in ["flat", "ivf", "hnsw"] { #expect(report.filter { $0.contains(" \(kind) ") }.count == 2) }
        #expect(report[0].contains("360 real + synthetic"))
    }

    @Test("Settings that cannot be measured are refused before any work")
    func refusals() throws {
        let (matrix, paths) = try Self.real()
        var benchmark = try GallerySearchBenchmark(real: matrix, paths: paths)
        benchmark.sizes = [1000]
        benchmark.probes = 400
        #expect(throws: GalleryError.self) { try benchmark.validate() }
        benchmark.probes = 40
        benchmark.kinds = [.hnsw]
        #expect(throws: GalleryError.self) { try benchmark.validate() }
        benchmark.kinds = [.exact, .ivf]
        benchmark.parameters = SearchIndexParameters(nlist: 5000)
        #expect(throws: GalleryError.self) { try benchmark.validate() }
        #expect(throws: GalleryError.self) { try GallerySearchBenchmark(real: matrix, paths: ["one"]) }
    }

    @Test("The enroll table rates the whole path against the commit alone")
    func enrollReport() throws {
        let benchmark = GalleryEnrollBenchmark(photos: try PhotoList([#filePath]), engine: "dlib-resnet")
        let report = benchmark.report(.init(engine: "dlib-resnet-x", photos: 40, faces: 39, pipelineSeconds: 8,
                                            commits: 1000, commitSeconds: 2))
        #expect(report.contains("read+detect+align+embed+commit") && report.contains("5.0") && report.contains("0.0100"))
        #expect(report.contains("commit only") && report.contains("500.0") && report.contains("39 faces"))
    }
}
