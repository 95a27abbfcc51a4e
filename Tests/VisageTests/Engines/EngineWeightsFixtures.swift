import Foundation
@testable import Visage

/// Locates the pretrained engines' weight files for tests in the weights folder (``EngineWeights/folder(environment:)``,
/// which `scripts/setup.sh` fills).
enum EngineWeightsFixtures {
    /// The weight file `name`, or nil where it is absent (suites using it are then disabled).
    static func file(_ name: String) -> URL? {
        let url = EngineWeights.folder().appendingPathComponent(name)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// dlib's face-recognition ResNet.
    static let dlibResNet = file("dlib_face_recognition_resnet_model_v1.dat")
    /// dlib's CNN (MMOD) face detector.
    static let dlibMMOD = file("mmod_human_face_detector.dat")
    /// dlib's 5-point landmark model.
    static let shapePredictor = file("shape_predictor_5_face_landmarks.dat")
    /// The MS1M MobileFaceNet (linked by setup.sh from ../shared/models).
    static let mobileFaceNetMS1M = file("mobilefacenet.pt")

    /// The folder of committed engine fixtures (`Tests/VisageTests/Fixtures/Engines`).
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/Engines", isDirectory: true)
}
