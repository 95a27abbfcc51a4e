import Foundation
import Testing
@testable import Visage

@Suite("PairList")
struct PairListTests {
    static let url = URL(fileURLWithPath: "/d/pairs.txt")

    /// Two folds of one matched and one mismatched pair, numbered and named images mixed.
    static let twoFolds = "2\t1\nAnn 1 2\nAnn 1\tBob 3\ns1 1.png 6.png\ns1 1.png s17 10.png\n"

    @Test("View 2 files keep folds, match flags, lines and image references")
    func view2() throws {
        let list = try PairList(parsing: Self.twoFolds, url: Self.url)
        #expect(list.foldCount == 2 && list.pairsPerFold == 1 && list.pairs.count == 4)
        #expect(list.pairs.map(\.fold) == [0, 0, 1, 1])
        #expect(list.pairs.map(\.isMatch) == [true, false, true, false])
        #expect(list.pairs.map(\.line) == [2, 3, 4, 5])
        #expect(list.pairs[0].first == PairImage(identity: "Ann", reference: .number(1)))
        #expect(list.pairs[1].second == PairImage(identity: "Bob", reference: .number(3)))
        #expect(list.pairs[3].second == PairImage(identity: "s17", reference: .file("10.png")))
        #expect(list.pairs(inFold: 1).map(\.line) == [4, 5])
        #expect(list.identities == ["Ann", "Bob", "s1", "s17"])
    }

    @Test("View 1 files (a lone count) are N matched then N mismatched, one fold")
    func view1() throws {
        let list = try PairList(parsing: "2\nA 1 2\nB 1 3\nA 1 B 1\nB 2 A 1\n", url: Self.url)
        #expect(list.foldCount == 1 && list.pairsPerFold == 2)
        #expect(list.pairs.map(\.isMatch) == [true, true, false, false])
        #expect(Set(list.pairs.map(\.fold)) == [0])
    }

    struct Malformed: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        var line: Int?
        var fragment: String
        var testDescription: String { name }
    }

    static let malformed = [
        Malformed(name: "empty", text: "\n", line: nil, fragment: "empty"),
        Malformed(name: "bad header", text: "ten 300\n", line: 1, fragment: "expected a header"),
        Malformed(name: "zero header", text: "0 3\n", line: 1, fragment: "expected a header"),
        Malformed(name: "mismatched where matched expected", text: "1 1\nA 1 B 2\nA 1 B 2\n", line: 2,
                  fragment: "expects a matched pair"),
        Malformed(name: "matched where mismatched expected", text: "1 1\nA 1 2\nA 1 2\n", line: 3,
                  fragment: "expects a mismatched pair"),
        Malformed(name: "View 1 count wrong", text: "2\nA 1 2\nA 1 B 2\n", line: nil, fragment: "only 2 follow"),
        Malformed(name: "too many lines", text: "1 1\nA 1 2\nA 1 B 2\nC 1 2\n", line: 4, fragment: "beyond them"),
        Malformed(name: "zero image number", text: "1 1\nA 0 2\nA 1 B 2\n", line: 2, fragment: "1-based"),
        Malformed(name: "same identity mismatched", text: "1 1\nA 1 2\nA 1 A 2\n", line: 3, fragment: "both sides"),
        Malformed(name: "header overflowing Int", text: "9223372036854775807 2\nA 1 2\n", line: 1,
                  fragment: "more pairs than any file holds"),
        Malformed(name: "View 1 count overflowing Int", text: "9223372036854775807\nA 1 2\n", line: 1,
                  fragment: "more pairs than any file holds"),
    ]

    @Test("malformed pair files throw naming the line", arguments: malformed)
    func malformedInput(_ input: Malformed) {
        let error = #expect(throws: DataFileError.self) { try PairList(parsing: input.text, url: Self.url) }
        #expect(error?.file == Self.url.path && error?.line == input.line)
        #expect(error?.message.contains(input.fragment) == true, "\(String(describing: error))")
    }

    @Test("resolution finds numbered and named images and names the line of a missing one")
    func resolve() throws {
        let root = try DataFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        for path in ["Ann/Ann_0001.jpg", "Ann/Ann_0002.png", "Bob/Bob_0003.jpg", "s1/1.png", "s1/6.png", "s17/10.png"] {
            try DataFixtures.write("x", to: path, in: root)
        }
        let list = try PairList(parsing: Self.twoFolds, url: Self.url)
        let resolved = try list.resolve(against: root)
        #expect(resolved.map { $0.first.pathInside(root) } == ["Ann/Ann_0001.jpg", "Ann/Ann_0001.jpg", "s1/1.png", "s1/1.png"])
        #expect(resolved.map { $0.second.pathInside(root) } == ["Ann/Ann_0002.png", "Bob/Bob_0003.jpg", "s1/6.png", "s17/10.png"])
        #expect(resolved.map(\.isMatch) == [true, false, true, false] && resolved.map(\.fold) == [0, 0, 1, 1])

        let unknown = try PairList(parsing: "1 1\nAnn 1 2\nAnn 1 Carl 1\n", url: Self.url)
        let identityError = #expect(throws: DataFileError.self) { try unknown.resolve(against: root) }
        #expect(identityError?.line == 3 && identityError?.message.contains("identity Carl has no folder") == true)

        let missingImage = try PairList(parsing: "1 1\nAnn 1 7\nAnn 1 s1 2.png\n", url: Self.url)
        let imageError = #expect(throws: DataFileError.self) { try missingImage.resolve(against: root) }
        #expect(imageError?.line == 2 && imageError?.message.contains("image 7 of Ann") == true)

        let missingFile = try PairList(parsing: "1 1\nAnn 1 2\nAnn 1 s1 2.png\n", url: Self.url)
        let fileError = #expect(throws: DataFileError.self) { try missingFile.resolve(against: root) }
        #expect(fileError?.line == 3 && fileError?.message.contains("s1/2.png not found") == true)
    }
}
