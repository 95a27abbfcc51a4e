import Testing
@testable import Visage

/// A memory source serves another source's samples as read once, and passes on its errors.
@Suite("Memory face source")
struct MemoryFaceSourceTests {
    /// Distinct small images; reading sample `failing` throws.
    struct Numbered: FaceSource {
        var count: Int
        var failing: Int?
        func label(at index: Int) -> Int { index / 3 }
        func name(at index: Int) -> String { "p\(index / 3)/\(index).png" }
        func image(at index: Int) throws -> Image {
            if index == failing { throw DataError.invalidImage(name(at: index), "cannot be read") }
            return Image(width: 2, height: 2, channels: 1, pixels: [UInt8](repeating: UInt8(index), count: 4))
        }
    }

    @Test("samples, labels and names are the source's, whatever the thread count", arguments: [1, 2, 3])
    func copiesTheSource(workers: Int) throws {
        let source = Numbered(count: 37)
        let memory = try MemoryFaceSource(reading: source, workers: workers)
        #expect(memory.count == 37)
        for index in 0..<37 {
            #expect(try memory.image(at: index) == source.image(at: index))
            #expect(memory.label(at: index) == source.label(at: index) && memory.name(at: index) == source.name(at: index))
        }
        #expect(throws: DataError.self) { try memory.image(at: 37) }
    }

    @Test("a sample the source cannot read fails the copy, naming it")
    func failure() {
        #expect(throws: DataError.invalidImage("p10/30.png", "cannot be read")) {
            try MemoryFaceSource(reading: Numbered(count: 37, failing: 30), workers: 2)
        }
    }
}
