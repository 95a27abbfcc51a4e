import Foundation
import SyntheticFaces
import Testing
import Visage
@testable import VisageBenchmarks

/// The loader benchmark's fallback data and its table (the timings themselves are the command's business).
@Suite("Loader throughput benchmark")
struct LoaderThroughputBenchmarkTests {
    @Test func theSyntheticFolderIsAnImageFolderOfAlignedJPEGs() throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("visage-bench-tests-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try LoaderThroughputBenchmark.writeSyntheticFolder(to: folder, count: 20, distinctFaces: 3)
        let faces = try ImageFolder(root: folder)
        #expect(faces.samples.count == 20)
        #expect(faces.classNames.count == 2)
        #expect(faces.samples.allSatisfy { $0.url.pathExtension == "jpg" })
        let image = try faces.image(at: 19)
        #expect(image.width == 112 && image.height == 112 && image.channels == 3)
    }

    @Test func theReportRatesSwiftAgainstPythonsSingleProcess() {
        var benchmark = LoaderThroughputBenchmark(root: URL(fileURLWithPath: "/faces"))
        benchmark.workers = 2
        let report = benchmark.report(.init(images: 64, swiftOneWorker: 2000, swiftWorkers: 3000,
                                            pythonSingleProcess: 1000, pythonDataLoader: 1500))
        let lines = report.split(separator: "\n")
        #expect(lines.count == 6)
        #expect(lines[0].hasPrefix("64 images from /faces"))
        #expect(lines[4].hasSuffix("2000.0  2.00×"))
        #expect(lines[5].hasSuffix("3000.0  3.00× (2.00× the DataLoader)"))
    }
}
