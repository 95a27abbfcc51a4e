import Foundation
import Testing
@testable import Visage

@Suite("Engine weights")
struct EngineWeightsTests {
    @Test("SHA-256 of the FIPS 180-4 examples and of a message spanning several blocks")
    func sha256() {
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        var hasher = SHA256()
        for _ in 0..<1000 { hasher.update(Array(repeating: UInt8(ascii: "a"), count: 1000)) }
        #expect(hasher.finalize() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("A pinned file is accepted; a missing, truncated or altered one is refused naming it and its source")
    func verification() throws {
        let folder = try DataFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let content = Data((0..<5000).map { UInt8($0 % 251) })
        let pin = EngineWeightsFile(fileName: "model.dat", sha256: SHA256.hex([UInt8](content)), byteCount: 5000,
                                    source: "Run scripts/setup.sh.")
        let url = folder.appendingPathComponent("model.dat")

        #expect(throws: EngineError.missingWeights(file: url.path, source: "Run scripts/setup.sh.")) {
            try EngineWeights.verifiedURL(for: pin, in: folder)
        }
        try content.prefix(4000).write(to: url)
        let truncated = #expect(throws: EngineError.self) { try EngineWeights.verifiedURL(for: pin, in: folder) }
        #expect("\(truncated!)".contains("expected 5000 bytes, found 4000 bytes"))
        var altered = content
        altered[17] ^= 1
        try altered.write(to: url)
        let wrongHash = #expect(throws: EngineError.self) { try EngineWeights.verifiedURL(for: pin, in: folder) }
        #expect("\(wrongHash!)".contains(url.path) && "\(wrongHash!)".contains("sha256"))
        try content.write(to: url)
        #expect(try EngineWeights.verifiedURL(for: pin, in: folder) == url)

        // A link to the pinned file (as setup.sh makes for research weights) is checked by its target.
        let linked = try DataFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: linked) }
        try FileManager.default.createSymbolicLink(at: linked.appendingPathComponent("model.dat"), withDestinationURL: url)
        #expect(try EngineWeights.verifiedURL(for: pin, in: linked) == linked.appendingPathComponent("model.dat"))
    }

    @Test("The weights folder is VISAGE_WEIGHTS, else the XDG cache, else ~/.cache")
    func folder() {
        #expect(EngineWeights.folder(environment: ["VISAGE_WEIGHTS": "/w"]).path == "/w")
        #expect(EngineWeights.folder(environment: ["XDG_CACHE_HOME": "/c"]).path == "/c/visage/weights")
        #expect(EngineWeights.folder(environment: [:]).path.hasSuffix("/.cache/visage/weights"))
    }

    @Test("Unknown engine names are refused with the valid names")
    func unknownName() {
        let error = #expect(throws: EngineError.self) { try EngineCatalogue.entry(named: "facenet") }
        #expect("\(error!)".contains("dlib-resnet") && "\(error!)".contains("mobilefacenet-ms1m"))
    }
}
