import Foundation

/// Locates the pretrained engines' weight files for tests: `$VISAGE_WEIGHTS`, else `~/.cache/visage/weights`.
enum EngineWeightsFixtures {
    /// The weight file `name`, or nil where it is absent (suites using it are then disabled).
    static func file(_ name: String) -> URL? {
        var folders = [URL]()
        if let custom = ProcessInfo.processInfo.environment["VISAGE_WEIGHTS"], !custom.isEmpty {
            folders.append(URL(fileURLWithPath: custom, isDirectory: true))
        }
        folders.append(FileManager.default.homeDirectoryForCurrentUser
            .appendingPathComponent(".cache/visage/weights", isDirectory: true))
        return folders.map { $0.appendingPathComponent(name) }
            .first { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// dlib's face-recognition ResNet.
    static let dlibResNet = file("dlib_face_recognition_resnet_model_v1.dat")
    /// dlib's CNN (MMOD) face detector.
    static let dlibMMOD = file("mmod_human_face_detector.dat")

    /// The folder of committed engine fixtures (`Tests/VisageTests/Fixtures/Engines`).
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/Engines", isDirectory: true)
}
