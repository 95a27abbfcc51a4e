// libFuzzer entry points for the image decoders. scripts/fuzz-decoders.sh compiles this folder together with
// Sources/Visage/Data/Image.swift and Sources/Visage/Data/ImageIO/*.swift into one instrumented executable, so the
// fuzzer drives the same `ImageCodec.decode` that users call, for every format.
import Foundation

/// One input: decoding must either throw an `ImageError` or return a consistent image that survives a lossless
/// PNG round trip; anything else (a crash, a sanitizer report, another error type) is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDecoders(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let image: Image
    do {
        image = try ImageCodec.decode(bytes, name: "fuzz-input")
    } catch is ImageError {
        return 0
    } catch {
        fatalError("decode threw a non-ImageError: \(error)")
    }
    guard [1, 3, 4].contains(image.channels), image.width > 0, image.height > 0,
          image.pixels.count == image.width * image.height * image.channels
    else { fatalError("inconsistent image \(image.width)×\(image.height)×\(image.channels)") }
    // Small images only, to keep executions fast: the encoder must accept any decoded image and give it back.
    if image.width * image.height <= 4096 {
        do {
            let again = try ImageCodec.decode(ImageCodec.encodePNG(image), name: "fuzz-roundtrip")
            guard again == image else { fatalError("PNG round trip changed the image") }
        } catch {
            fatalError("PNG round trip failed: \(error)")
        }
    }
    return 0
}

/// With `VISAGE_FUZZ_WRITE_SEEDS=<folder>` in the environment, writes the seed corpus there and exits instead of
/// fuzzing.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<CInt>?,
                           _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> CInt {
    guard let folder = ProcessInfo.processInfo.environment["VISAGE_FUZZ_WRITE_SEEDS"] else { return 0 }
    do {
        let seeds = try SeedCorpus.files()
        for (name, bytes) in seeds {
            try Data(bytes).write(to: URL(fileURLWithPath: folder).appendingPathComponent(name))
        }
        print("wrote \(seeds.count) seeds to \(folder)")
        exit(0)
    } catch {
        print("cannot write seeds: \(error)")
        exit(1)
    }
}
