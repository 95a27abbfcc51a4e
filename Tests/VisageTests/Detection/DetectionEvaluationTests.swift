import Foundation
import Testing
@testable import Visage

@Suite("Detection evaluation")
struct DetectionEvaluationTests {
    @Test("imglab XML: boxes per image, ignored boxes left out, paths resolved beside the file")
    func annotations() throws {
        let folder = try DataFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let xml = try DataFixtures.write("""
            <?xml version='1.0' encoding='ISO-8859-1'?>
            <dataset><images>
              <image file='a.jpg'><box top='10' left='20' width='30' height='40'/><box top='1' left='1' width='5' height='5' ignore='1'/></image>
              <image file='sub/b.jpg'></image>
            </images></dataset>
            """, to: "faces.xml", in: folder)
        let annotations = try DetectionAnnotations(contentsOf: xml)
        #expect(annotations.photos.map(\.url.lastPathComponent) == ["a.jpg", "b.jpg"])
        #expect(annotations.photos[0].boxes == [FaceBox(left: 20, top: 10, right: 49, bottom: 49)])
        #expect(annotations.photos[1].boxes.isEmpty)
        let bad = try DataFixtures.write("<dataset><images><image file='a.jpg'>\n<box top='x' left='1' width='2' height='2'/></image></images></dataset>",
                                         to: "bad.xml", in: folder)
        let error = #expect(throws: DataFileError.self) { try DetectionAnnotations(contentsOf: bad) }
        #expect(error!.message.contains("line 2") && error!.file == bad.path)
    }

    @Test("Greedy matching by overlap: recall, mean overlap and unmatched detections")
    func matching() {
        var evaluation = DetectionEvaluation(minimumOverlap: 0.5)
        let truth = [FaceBox(left: 0, top: 0, right: 9, bottom: 9), FaceBox(left: 100, top: 100, right: 109, bottom: 109)]
        // Exact match for the first; a box shifted by 5 columns overlaps the second by 50/150 = 1/3 (no match);
        // a box far away is a false positive.
        let found = [FaceBox(left: 0, top: 0, right: 9, bottom: 9), FaceBox(left: 105, top: 100, right: 114, bottom: 109),
                     FaceBox(left: 300, top: 300, right: 320, bottom: 320)]
        evaluation.add(annotated: truth, detected: found)
        #expect(evaluation.annotated == 2 && evaluation.matched == 1 && evaluation.falsePositives == 2)
        #expect(evaluation.recall == 0.5 && evaluation.meanOverlap == 1)
        evaluation.add(annotated: [], detected: [])
        #expect(evaluation.annotated == 2)
    }
}
