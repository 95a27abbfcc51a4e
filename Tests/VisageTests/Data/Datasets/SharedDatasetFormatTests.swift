import Foundation
import Testing
@testable import Visage

/// The pair files, people lists and image folders of `../shared/data` parse with the counts their README gives
/// and resolve to existing images.
@Suite("Shared dataset formats", .enabled(if: DataFixtures.hasSharedData))
struct SharedDatasetFormatTests {
    struct PairFile: Sendable, CustomTestStringConvertible {
        var path: String
        var images: String
        var folds: Int
        var perFold: Int
        var testDescription: String { path }
    }

    static let pairFiles = [
        PairFile(path: "lfw/pairs.txt", images: "lfw/aligned", folds: 10, perFold: 300),
        PairFile(path: "lfw/pairsDevTrain.txt", images: "lfw/aligned", folds: 1, perFold: 1100),
        PairFile(path: "lfw/pairsDevTest.txt", images: "lfw/aligned", folds: 1, perFold: 500),
        PairFile(path: "orl/pairs.txt", images: "orl/aligned", folds: 10, perFold: 100),
        PairFile(path: "orl/pairs.txt", images: "orl/raw", folds: 10, perFold: 100),
        PairFile(path: "yaleb/pairs_easy.txt", images: "yaleb/aligned", folds: 10, perFold: 100),
        PairFile(path: "yaleb/pairs_hard.txt", images: "yaleb/aligned", folds: 10, perFold: 100),
    ]

    @Test("pair files parse with their announced counts and resolve to existing images", arguments: pairFiles)
    func pairFile(_ file: PairFile) throws {
        let list = try PairList(contentsOf: DataFixtures.shared(file.path))
        #expect(list.foldCount == file.folds && list.pairsPerFold == file.perFold)
        #expect(list.pairs.count == file.folds * file.perFold * 2)
        #expect(list.pairs.filter(\.isMatch).count == file.folds * file.perFold)
        for fold in 0..<file.folds {
            let pairs = list.pairs(inFold: fold)
            #expect(pairs.count == 2 * file.perFold)
            #expect(pairs.prefix(file.perFold).allSatisfy(\.isMatch) && !pairs.suffix(file.perFold).contains(where: \.isMatch))
        }
        #expect(list.pairs.filter(\.isMatch).allSatisfy { $0.first.identity == $0.second.identity })
        #expect(list.pairs.filter { !$0.isMatch }.allSatisfy { $0.first.identity != $0.second.identity })

        let resolved = try list.resolve(against: DataFixtures.shared(file.images))
        #expect(resolved.count == list.pairs.count)
        #expect(resolved.allSatisfy {
            FileManager.default.fileExists(atPath: $0.first.path) && FileManager.default.fileExists(atPath: $0.second.path)
        })
        #expect(resolved.map(\.fold) == list.pairs.map(\.fold))
    }

    @Test("View 2 folds are identity-disjoint", arguments: pairFiles.filter { $0.folds > 1 && $0.images.hasSuffix("aligned") })
    func foldsDisjoint(_ file: PairFile) throws {
        let list = try PairList(contentsOf: DataFixtures.shared(file.path))
        let identities = (0..<list.foldCount).map { fold in
            Set(list.pairs(inFold: fold).flatMap { [$0.first.identity, $0.second.identity] })
        }
        for i in identities.indices {
            for j in identities.indices where j > i {
                #expect(identities[i].isDisjoint(with: identities[j]), "folds \(i + 1) and \(j + 1)")
            }
        }
    }

    @Test("LFW numbered images resolve to LFW's file names")
    func lfwNumbering() throws {
        let list = try PairList(contentsOf: DataFixtures.shared("lfw/pairs.txt"))
        let first = try #require(list.pairs.first)
        #expect(first.first == PairImage(identity: "Abel_Pacheco", reference: .number(1)))
        #expect(first.second == PairImage(identity: "Abel_Pacheco", reference: .number(4)))
        let resolved = try list.resolve(against: DataFixtures.shared("lfw/aligned"))
        #expect(resolved[0].first.path.hasSuffix("lfw/aligned/Abel_Pacheco/Abel_Pacheco_0001.jpg"))
        #expect(resolved[0].second.path.hasSuffix("lfw/aligned/Abel_Pacheco/Abel_Pacheco_0004.jpg"))
    }

    @Test("image folders have the README's identities and images", arguments: [
        ("lfw/aligned", 5749, 13233), ("orl/aligned", 40, 400), ("orl/raw", 40, 400), ("yaleb/aligned", 38, 2414),
        ("yaleb/raw", 38, 2414),
    ])
    func imageFolder(path: String, identities: Int, images: Int) throws {
        let folder = try ImageFolder(root: DataFixtures.shared(path))
        #expect(folder.classCount == identities && folder.samples.count == images)
        #expect(folder.emptyFolders.isEmpty)
    }

    @Test("LFW people lists parse, agree with the images and give View 1's identity-disjoint split")
    func lfwPeople() throws {
        let folder = try ImageFolder(root: DataFixtures.shared("lfw/aligned"))
        let people = try PeopleList(contentsOf: DataFixtures.shared("lfw/people.txt"))
        #expect(people.folds.map(\.count) == [601, 555, 552, 560, 567, 527, 597, 601, 580, 609])
        #expect(people.people.count == 5749)
        #expect(people.people.reduce(0) { $0 + $1.imageCount } == 13233)
        #expect(Set(people.names) == Set(folder.classNames))
        let imagesPerIdentity = Dictionary(grouping: folder.samples, by: \.identity).mapValues(\.count)
        #expect(people.people.allSatisfy { imagesPerIdentity[$0.name] == $0.imageCount })

        let devTrain = try PeopleList(contentsOf: DataFixtures.shared("lfw/peopleDevTrain.txt"))
        let devTest = try PeopleList(contentsOf: DataFixtures.shared("lfw/peopleDevTest.txt"))
        #expect(devTrain.folds.count == 1 && devTrain.people.count == 4038)
        #expect(devTest.folds.count == 1 && devTest.people.count == 1711)
        let split = try IdentitySplit(folder, train: devTrain, test: devTest)
        #expect(split.train.samples.count == 9525 && split.test.samples.count == 3708)
        #expect(Set(split.train.classNames).isDisjoint(with: split.test.classNames))

        let trainPairs = try PairList(contentsOf: DataFixtures.shared("lfw/pairsDevTrain.txt"))
        let testPairs = try PairList(contentsOf: DataFixtures.shared("lfw/pairsDevTest.txt"))
        #expect(trainPairs.identities.isSubset(of: devTrain.names))
        #expect(testPairs.identities.isSubset(of: devTest.names))

        let byFold = try IdentitySplit(folder, people: people, testFold: 0)
        #expect(byFold.test.classCount == 601 && byFold.train.classCount == 5749 - 601)
    }
}
