import Foundation
import Testing
@testable import Visage

@Suite("NPY row streaming")
struct NPYStreamingTests {
    static func matrix(rows: Int, columns: Int) throws -> FeatureMatrix {
        try FeatureMatrix(rows: rows, columns: columns, values: (0..<(rows * columns)).map { Float($0) * 0.5 - 3 })
    }

    @Test("chunks read back the whole matrix", arguments: [1, 3, 7, 100])
    func readInChunks(chunk: Int) throws {
        let folder = try DataFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("m.npy")
        let matrix = try Self.matrix(rows: 7, columns: 5)
        try NPYFile.write(matrix, to: url)
        let reader = try NPYRowReader(contentsOf: url)
        #expect(reader.rows == 7 && reader.columns == 5)
        var values: [Float] = []
        while let part = try reader.next(maxRows: chunk) { values += part.values }
        #expect(values == matrix.values && reader.rowsRead == 7)
    }

    @Test("rows written in chunks make the file NPYFile writes")
    func writeInChunks() throws {
        let folder = try DataFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let matrix = try Self.matrix(rows: 5, columns: 3)
        let url = folder.appendingPathComponent("w.npy")
        let writer = try NPYRowWriter(url: url, rows: 5, columns: 3)
        try writer.append(FeatureMatrix(rows: 2, columns: 3, values: Array(matrix.values[0..<6])))
        try writer.append(FeatureMatrix(rows: 3, columns: 3, values: Array(matrix.values[6...])))
        try writer.finish()
        #expect(try Data(contentsOf: url) == NPYFile.encode(matrix))
    }

    @Test("Writing over an existing file, a symbolic link or a hard link replaces it, run after run")
    func rewrite() throws {
        let folder = try DataFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("t.npy")
        let target = folder.appendingPathComponent("target.npy")
        try Data("old".utf8).write(to: target)
        try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("link.npy"), withDestinationURL: target)
        try FileManager.default.linkItem(at: target, to: folder.appendingPathComponent("hard.npy"))
        for (run, destination) in [url, url, url, folder.appendingPathComponent("link.npy"),
                                   folder.appendingPathComponent("hard.npy")].enumerated() {
            let matrix = try Self.matrix(rows: run + 1, columns: 2)
            let writer = try NPYRowWriter(url: destination, rows: run + 1, columns: 2)
            try writer.append(matrix)
            try writer.finish()
            #expect(try Data(contentsOf: destination) == NPYFile.encode(matrix), "run \(run) into \(destination.lastPathComponent)")
        }
        // The file the links pointed to is left as it was; no temporary file is left behind.
        #expect(try Data(contentsOf: target) == Data("old".utf8))
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".") }
        #expect(left.isEmpty)
    }

    @Test("an unfinished or overfull writer leaves the destination untouched, a truncated file is refused")
    func failures() throws {
        let folder = try DataFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("w.npy")
        let writer = try NPYRowWriter(url: url, rows: 2, columns: 3)
        #expect(throws: DataError.invalidArgument("\(url.path): 3 rows exceed the declared 2")) {
            try writer.append(Self.matrix(rows: 3, columns: 3))
        }
        #expect(throws: DataError.invalidArgument("\(url.path): 0 of the declared 2 rows were written")) {
            try writer.finish()
        }
        #expect(!FileManager.default.fileExists(atPath: url.path))
        let data = NPYFile.encode(try Self.matrix(rows: 4, columns: 2))
        try data.dropLast(4).write(to: url)
        #expect(throws: DataFileError(url, "not a usable .npy array: shape (4, 2) needs 32 data bytes but the file "
            + "has 28: it is truncated")) {
            try NPYRowReader(contentsOf: url)
        }
    }
}
