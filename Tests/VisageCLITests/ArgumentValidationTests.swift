import Foundation
import Testing

/// Bad option values of other commands are refused with the option's name, before any work.
@Suite("Argument validation")
struct ArgumentValidationTests {
    static let refusals: [(arguments: [String], names: [String])] = [
        (["distill", "report", "--resolutions", "32,0", "--reference", "none"], ["--resolutions", "'0'"]),
        (["distill", "report", "--batches", "4,x", "--reference", "none"], ["--batches", "'x'"]),
        (["bench", "loader", "--images", "0"], ["--images"]),
        (["embed", "--model", "m.safetensors", "--data", "faces", "--out", "f.npy", "--workers", "0"], ["--workers"]),
        (["embed", "--model", "m.safetensors", "--out", "f.npy"], ["--data", "--photos"]),
        (["train", "--arch", "no-such-net", "--steps", "1"], ["no-such-net"]),
    ]

    @Test("each refusal names the option or value", arguments: 0..<refusals.count)
    func refused(index: Int) throws {
        let (arguments, names) = Self.refusals[index]
        let message = try #require(CLI.failure(arguments), "\(arguments) was accepted")
        for name in names { #expect(message.contains(name), "\(arguments): \(message)") }
    }
}
