import Foundation
import Testing
@testable import Visage

@Suite("LandmarksFile")
struct LandmarksFileTests {
    static let header =
        "image,identity,detected,left_eye_x,left_eye_y,right_eye_x,right_eye_y,nose_x,nose_y,mouth_left_x,mouth_left_y,mouth_right_x,mouth_right_y"
    static let url = URL(fileURLWithPath: "/data/set/landmarks.csv")

    @Test("rows parse into records found by path or by image URL")
    func parses() throws {
        let text = Self.header + "\nraw/s1/1.png,s1,1,34.17,57.17,59.33,53.33,49.00,75.00,40.00,90.00,59.00,87.00\r\n"
            + "\n\"raw/s2/with, comma.png\",s2,0,1,2,3,4,5,6,7,8,9,10\n"
        let file = try LandmarksFile(parsing: text, url: Self.url)
        #expect(file.records.count == 2)
        let first = try #require(file.record(forImage: "raw/s1/1.png"))
        #expect(first.identity == "s1" && first.detected && first.line == 2)
        #expect(first.landmarks.leftEye == SIMD2(34.17, 57.17))
        #expect(first.landmarks.mouthRight == SIMD2(59, 87))
        let second = try #require(file.record(forImage: "raw/s2/with, comma.png"))
        #expect(!second.detected && second.line == 4 && second.landmarks.noseTip == SIMD2(5, 6))
        // By URL: relative to the CSV's folder, or relative to the images folder as a fallback.
        let byURL = file.record(forImageAt: URL(fileURLWithPath: "/data/set/raw/s1/1.png"))
        #expect(byURL == first)
        #expect(file.record(forImageAt: URL(fileURLWithPath: "/elsewhere/raw/s1/1.png"),
                            imagesRoot: URL(fileURLWithPath: "/elsewhere")) == first)
        #expect(file.record(forImageAt: URL(fileURLWithPath: "/elsewhere/s1/1.png")) == nil)
        #expect(file.imageURL(of: first).path == "/data/set/raw/s1/1.png")
    }

    @Test("columns are found by name in any order")
    func reorderedColumns() throws {
        let columns = Self.header.split(separator: ",").reversed().joined(separator: ",")
        let values = "a.png,x,1,1,2,3,4,5,6,7,8,9,10".split(separator: ",").reversed().joined(separator: ",")
        let file = try LandmarksFile(parsing: columns + "\n" + values + "\n", url: Self.url)
        #expect(file.records.first?.landmarks.points == [SIMD2(1, 2), SIMD2(3, 4), SIMD2(5, 6), SIMD2(7, 8), SIMD2(9, 10)])
    }

    struct Malformed: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        var line: Int?
        var fragment: String
        var testDescription: String { name }
    }

    static let row = "a.png,x,1,1,2,3,4,5,6,7,8,9,10"
    static let malformed = [
        Malformed(name: "empty", text: "", line: nil, fragment: "empty"),
        Malformed(name: "missing column", text: header.replacingOccurrences(of: ",nose_y", with: "") + "\n",
                  line: 1, fragment: "missing column(s) nose_y"),
        Malformed(name: "short row", text: header + "\n" + row + "\na.png,x,1,1,2\n", line: 3, fragment: "expected 13 fields"),
        Malformed(name: "not a number", text: header + "\nb.png,x,1,1,2,3,4,5,six,7,8,9,10\n", line: 2,
                  fragment: "nose_y must be a finite number, found 'six'"),
        Malformed(name: "NaN", text: header + "\nb.png,x,1,1,2,3,4,5,nan,7,8,9,10\n", line: 2, fragment: "nose_y"),
        Malformed(name: "detected", text: header + "\nb.png,x,2,1,2,3,4,5,6,7,8,9,10\n", line: 2,
                  fragment: "detected must be 0 or 1"),
        Malformed(name: "duplicate", text: header + "\n" + row + "\n" + row + "\n", line: 3, fragment: "first on line 2"),
        Malformed(name: "open quote", text: header + "\n\"a.png,x,1,1,2,3,4,5,6,7,8,9,10\n", line: 2,
                  fragment: "not closed"),
    ]

    @Test("malformed files throw naming the file and line", arguments: malformed)
    func malformedInput(_ input: Malformed) {
        let error = #expect(throws: DataFileError.self) { try LandmarksFile(parsing: input.text, url: Self.url) }
        #expect(error?.file == Self.url.path)
        #expect(error?.line == input.line)
        #expect(error?.message.contains(input.fragment) == true, "\(String(describing: error))")
    }

    @Test("the real landmark files parse", .enabled(if: DataFixtures.hasSharedData),
          arguments: [("orl", 400), ("yaleb", 2414), ("lfw", 13233)])
    func realFiles(dataset: String, count: Int) throws {
        let file = try LandmarksFile(contentsOf: DataFixtures.shared("\(dataset)/landmarks.csv"))
        #expect(file.records.count == count)
        #expect(file.records.allSatisfy { $0.image.hasPrefix("raw/\($0.identity)/") })
    }
}
