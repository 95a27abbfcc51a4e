import Foundation
import Testing
@testable import Torch

@Suite("Gradient clipping")
struct GradientClippingTests {
    @Test("clipGradNorm scales to maxNorm and returns the norm before clipping")
    func clipsToMaxNorm() {
        let a = makeParameter([0.0, 0.0] as [Double])
        let b = makeParameter([0.0] as [Double])
        let noGradient = makeParameter([7.0] as [Double])
        setGradient(a, [3.0, 4.0] as [Double])
        setGradient(b, [12.0] as [Double])
        // ‖(3, 4, 12)‖₂ = √(9 + 16 + 144) = 13; coefficient = 6.5 / (13 + 1e−6).
        let norm = clipGradNorm([a, b, noGradient], maxNorm: 6.5)
        #expect(norm == 13)
        let coefficient = 6.5 / (13 + 1e-6)
        expectClose(a.grad!.array(of: Double.self), [3 * coefficient, 4 * coefficient])
        expectClose(b.grad!.array(of: Double.self), [12 * coefficient])
        #expect(noGradient.grad == nil)
    }

    @Test("gradients within maxNorm are left as they are")
    func leavesSmallGradients() {
        let a = makeParameter([0.0, 0.0] as [Float])
        setGradient(a, [0.3, -0.4] as [Float])
        let norm = clipGradNorm([a], maxNorm: 1)
        #expect(abs(norm - 0.5) < 1e-7)
        #expect(a.grad!.array(of: Float.self) == [0.3, -0.4])
    }

    @Test("other norms: 1-norm sums, ∞-norm takes the largest element, 3-norm the cube root of cubes", arguments: [
        (1.0, 3.0 + 4.0 + 12.0),
        (Double.infinity, 12.0),
        (3.0, pow(27.0 + 64.0 + 1728.0, 1.0 / 3.0)),
    ])
    func otherNorms(_ normType: Double, _ expected: Double) {
        let a = makeParameter([0.0, 0.0] as [Double])
        let b = makeParameter([0.0] as [Double])
        setGradient(a, [3.0, -4.0] as [Double])
        setGradient(b, [12.0] as [Double])
        let norm = clipGradNorm([a, b], maxNorm: 1, normType: normType)
        #expect(abs(norm - expected) < 1e-9)
        let coefficient = 1 / (expected + 1e-6)
        expectClose(a.grad!.array(of: Double.self), [3 * coefficient, -4 * coefficient])
    }

    /// PyTorch 1.13's numbers for float32 gradients, printed by Debian's python3-torch with:
    ///
    /// ```python
    /// import torch, numpy as np
    /// for norm_type in [2.0, 1.0, float("inf")]:
    ///     a = torch.zeros(3, requires_grad=True); b = torch.zeros(2, requires_grad=True)
    ///     a.grad = torch.tensor([0.3, -1.7, 2.2]); b.grad = torch.tensor([0.9, 0.05])
    ///     n = torch.nn.utils.clip_grad_norm_([a, b], max_norm=1.0, norm_type=norm_type)
    ///     f = lambda t: "[" + ", ".join(str(np.float32(v)) for v in t.tolist()) + "]"
    ///     print(norm_type, str(np.float32(n.item())), f(a.grad), f(b.grad))
    /// ```
    @Test("matches torch.nn.utils.clip_grad_norm_ bit for bit", arguments: [
        (2.0, Float(2.9381115), [Float(0.10210637), -0.5786028, 0.7487801], [Float(0.3063191), 0.017017728]),
        (1.0, Float(5.1499996), [Float(0.058252424), -0.33009705, 0.42718443], [Float(0.17475726), 0.009708737]),
        (Double.infinity, Float(2.2), [Float(0.13636358), -0.77272695, 0.9999996], [Float(0.40909073), 0.022727264]),
    ])
    func matchesPyTorch(_ normType: Double, _ norm: Float, _ clippedA: [Float], _ clippedB: [Float]) {
        let a = makeParameter([0, 0, 0] as [Float])
        let b = makeParameter([0, 0] as [Float])
        setGradient(a, [0.3, -1.7, 2.2] as [Float])
        setGradient(b, [0.9, 0.05] as [Float])
        #expect(Float(clipGradNorm([a, b], maxNorm: 1, normType: normType)) == norm)
        #expect(a.grad!.array(of: Float.self) == clippedA)
        #expect(b.grad!.array(of: Float.self) == clippedB)
    }

    @Test("no gradients at all give norm 0")
    func noGradients() {
        #expect(clipGradNorm([makeParameter([1.0] as [Double])], maxNorm: 1) == 0)
    }

    @Test("clipGradValue clamps every element")
    func clipsValues() {
        let a = makeParameter([0.0, 0.0, 0.0] as [Double])
        setGradient(a, [-5.0, 0.25, 3.0] as [Double])
        clipGradValue([a, makeParameter([1.0] as [Double])], clipValue: 1)
        #expect(a.grad!.array(of: Double.self) == [-1.0, 0.25, 1.0])
    }
}
