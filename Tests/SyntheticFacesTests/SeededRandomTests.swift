import Foundation
import Testing
@testable import SyntheticFaces

/// The seeded generator and the portable math the synthetic faces are built from.
@Suite("Seeded random and portable math")
struct SeededRandomTests {
    @Test("SplitMix64 reproduces its reference stream")
    func referenceStream() {
        // The published SplitMix64 outputs for state 0: a different machine or Swift version must agree.
        var random = SeededRandom(seed: 0)
        #expect(random.next() == 0xE220_A839_7B1D_CDAF)
        #expect(random.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(random.next() == 0x06C4_5D18_8009_454F)
    }

    @Test("Equal seeds give equal streams, different seeds different ones")
    func seeds() {
        var a = SeededRandom(seed: 42), b = SeededRandom(seed: 42), c = SeededRandom(seed: 43)
        let streamA = (0..<100).map { _ in a.next() }
        #expect(streamA == (0..<100).map { _ in b.next() })
        #expect(streamA != (0..<100).map { _ in c.next() })
    }

    @Test("Uniform, index and normal draws stay in range with the right moments")
    func distributions() {
        var random = SeededRandom(seed: 7)
        var sum = 0.0, squares = 0.0
        let count = 20_000
        for _ in 0..<count {
            let u = random.uniform(-2...3)
            #expect(u >= -2 && u <= 3)
            let i = random.index(below: 7)
            #expect((0..<7).contains(i))
            let n = random.normal(mean: 1, deviation: 2)
            sum += n
            squares += n * n
        }
        let mean = sum / Double(count)
        let deviation = (squares / Double(count) - mean * mean).squareRoot()
        #expect(abs(mean - 1) < 0.05)
        #expect(abs(deviation - 2) < 0.05)
    }

    @Test("Weighted picks follow their weights and skip zero weights")
    func weightedPick() {
        var random = SeededRandom(seed: 9)
        var counts = [0, 0, 0]
        for _ in 0..<30_000 { counts[random.pick(weights: [1, 0, 3])] += 1 }
        #expect(counts[1] == 0)
        #expect(abs(Double(counts[2]) / Double(counts[0]) - 3) < 0.2)
    }

    @Test("Derived seeds depend on every value and its order")
    func derive() {
        let base = SeededRandom.derive(5, 1, 2)
        #expect(base == SeededRandom.derive(5, 1, 2))
        #expect(base != SeededRandom.derive(5, 2, 1))
        #expect(base != SeededRandom.derive(6, 1, 2))
        #expect(base != SeededRandom.derive(5, 1, 2, 0))
    }

    @Test("Portable functions match the platform's to near machine precision",
          arguments: [-20.0, -3.7, -1, -0.3, 0, 0.001, 0.5, 1, 2.2, 7.9, 30])
    func portableMath(x: Double) {
        #expect(abs(PortableMath.exp(x) - Foundation.exp(x)) <= 4e-15 * Foundation.exp(x))
        let (s, c) = PortableMath.sinCos(x)
        #expect(abs(s - Foundation.sin(x)) < 1e-14)
        #expect(abs(c - Foundation.cos(x)) < 1e-14)
        if x > 0 {
            #expect(abs(PortableMath.log(x) - Foundation.log(x)) < 1e-14 * max(1, abs(Foundation.log(x))))
            #expect(abs(PortableMath.pow(x, 2.3) - Foundation.pow(x, 2.3)) <= 1e-13 * Foundation.pow(x, 2.3))
        }
        let f = Float(x / 4)
        #expect(abs(PortableMath.expf(f) - Foundation.expf(f)) <= 1e-6 * Foundation.expf(f))
        #expect(PortableMath.floor(Float(x)) == Int32(Foundation.floor(x)))
    }
}
