import Foundation
import SyntheticFaces
import Testing
@testable import Visage

/// The synthetic dataset written as an ImageFolder with its pair list, and the contact sheet.
@Suite("Synthetic dataset on disk")
struct SyntheticDatasetWritingTests {
    @Test("The written dataset holds every photo and a well-formed, identity-disjoint pair list")
    func written() throws {
        let folder = try DataFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let dataset = try SyntheticDataset(identities: 10, imagesPerIdentity: 3, seed: 4)
        let pairs = try #require(try dataset.write(to: folder, folds: 5, progress: false))
        // Photos: one folder per identity, decoding to exactly what is rendered in memory.
        let folders = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0 != "pairs.txt" }
        #expect(folders.sorted() == (0..<10).map(dataset.identityName))
        let decoded = try ImageCodec.decode(contentsOf: folder.appendingPathComponent("id0006/id0006_0002.png"))
        #expect(decoded == (try dataset.face(identity: 6, image: 2).image))

        let lines = try String(contentsOf: folder.appendingPathComponent("pairs.txt"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        #expect(lines[0] == ["5", "\(pairs.perFold)"])
        // 2 identities per fold × 3 photos: 6 distinct matched pairs per fold at most.
        #expect(pairs.perFold == 6)
        #expect(lines.count == 1 + 5 * 2 * pairs.perFold)
        var foldIdentities: [Set<String>] = []
        for fold in 0..<5 {
            let block = lines[(1 + fold * 2 * pairs.perFold)..<(1 + (fold + 1) * 2 * pairs.perFold)]
            var people = Set<String>()
            var seen = Set<[String]>()
            for (offset, fields) in block.enumerated() {
                let matched = offset < pairs.perFold
                #expect(fields.count == (matched ? 3 : 4), "line \(fields)")
                let files = matched ? [(fields[0], fields[1]), (fields[0], fields[2])]
                                    : [(fields[0], fields[1]), (fields[2], fields[3])]
                if !matched { #expect(fields[0] != fields[2]) }
                #expect(files[0] != files[1])
                #expect(seen.insert(fields).inserted, "repeated pair \(fields)")
                for (person, file) in files {
                    #expect(file.hasPrefix(person + "_"))
                    #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("\(person)/\(file)").path))
                    people.insert(person)
                }
            }
            for earlier in foldIdentities { #expect(earlier.isDisjoint(with: people)) }
            foldIdentities.append(people)
        }
        #expect(foldIdentities.reduce(Set<String>()) { $0.union($1) }.count == 10)
        #expect(try dataset.pairs(folds: 5) == pairs)
    }

    @Test("Writing over a file or with impossible pairs fails before rendering anything")
    func writeFailures() throws {
        let folder = try DataFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("taken")
        try Data("x".utf8).write(to: file)
        let dataset = try SyntheticDataset(identities: 4, imagesPerIdentity: 2)
        #expect(throws: SyntheticFaceError.writeFailed(path: file.path, reason: "it exists and is not a directory")) {
            try dataset.write(to: file, folds: 2, progress: false)
        }
        let target = folder.appendingPathComponent("out")
        #expect(throws: SyntheticFaceError.self) { try dataset.write(to: target, folds: 3, progress: false) }
        #expect(!FileManager.default.fileExists(atPath: target.path))
        let single = try SyntheticDataset(identities: 2, imagesPerIdentity: 1)
        #expect(try single.write(to: target, includePairs: false, progress: false) == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: target.path).sorted() == ["id0000", "id0001"])
    }

    @Test("The contact sheet tiles identities by conditions")
    func contactSheet() throws {
        let identities = [SyntheticIdentity(seed: 1), SyntheticIdentity(seed: 2)]
        let columns = Array(SyntheticContactSheet.showcase.prefix(3))
        let sheet = try SyntheticContactSheet.render(identities: identities, conditions: columns, spacing: 4)
        #expect(sheet.width == 3 * 112 + 2 * 4 && sheet.height == 2 * 112 + 4)
        let tile = try SyntheticFaceRenderer().render(identities[1], columns[2])
        for y in [0, 50, 111] {
            for x in [0, 60, 111] {
                #expect(sheet[2 * 116 + x, 116 + y, 1] == tile[x, y, 1])
            }
        }
        #expect(throws: SyntheticFaceError.self) { try SyntheticContactSheet.render(identities: []) }
    }
}
