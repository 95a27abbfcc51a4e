import Foundation
import Testing
@testable import Visage

@Suite("PeopleList")
struct PeopleListTests {
    static let url = URL(fileURLWithPath: "/d/people.txt")

    @Test("folded lists keep their folds")
    func folded() throws {
        let list = try PeopleList(parsing: "2\n2\nAnn\t3\nBob\t1\n1\nCarl 4\n", url: Self.url)
        #expect(list.folds.map { $0.map(\.name) } == [["Ann", "Bob"], ["Carl"]])
        #expect(list.people.map(\.imageCount) == [3, 1, 4])
        #expect(list.people.map(\.line) == [3, 4, 6])
        #expect(list.names == ["Ann", "Bob", "Carl"])
    }

    @Test("flat lists are one fold")
    func flat() throws {
        let list = try PeopleList(parsing: "3\nAnn 3\nBob 1\nCarl 4\n", url: Self.url)
        #expect(list.folds.count == 1 && list.names == ["Ann", "Bob", "Carl"])
    }

    @Test("malformed people files throw naming the line", arguments: [
        ("x\n", 1 as Int?, "number of folds or people"),
        ("2\nAnn 3\n", nil, "ends after 1"),
        ("1\nAnn 3\nBob 1\n", 3, "end before this line"),
        ("2\n1\nAnn 3\n", nil, "announces 2 folds"),
        ("1\n2\nAnn 3\nBob\n", 4, "expected 'name imageCount'"),
        ("2\nAnn 3\nAnn 2\n", 3, "first on line 2"),
        ("1\nAnn three\n", 2, "expected 'name imageCount'"),
    ])
    func malformed(text: String, line: Int?, fragment: String) {
        let error = #expect(throws: DataFileError.self) { try PeopleList(parsing: text, url: Self.url) }
        #expect(error?.line == line && error?.file == Self.url.path)
        #expect(error?.message.contains(fragment) == true, "\(String(describing: error))")
    }
}
