import Torch

/// The losses of R³AN (Eq. 4–9), each a mean over the batch.
///
/// **Distances.** Eq. 4, 8 and 9 write the expectation of the Euclidean norm `‖a − b‖₂`, not of its square;
/// that is what is computed here: the per-sample L2 distance (over every element of a sample: 3·56·56 pixels
/// for faces, D values for features), averaged over the batch. Its gradient has unit norm per sample, so the
/// pixel and feature terms stay on comparable scales whatever the image size or feature dimension.
///
/// **Adversarial terms.** `D(I) = sigmoid(logit)` is the probability that a face is real. Eq. 5 is the logistic
/// GAN value `L_D = E[log D(I)] + E[log(1 − D(G(X)))]`, which D maximizes (the `max_D` of Eq. 10; Algorithm 1
/// writes a descent step, so D descends on `−L_D`, ``discriminator(realLogits:generatedLogits:)``). Eq. 6 as
/// printed, `−E[log(1 − D(G(X)))]`, would reward G for faces that D rejects; the generator's adversarial loss is
/// taken in its non-saturating logistic form `−E[log D(G(X))]`, which has the intended minimum (G's faces
/// judged real). Both are computed from logits with `softplus`, without forming the probabilities.
public enum R3ANLoss {
    /// `E‖a − b‖₂`: the L2 distance between corresponding samples (dimension 0), averaged over the batch.
    public static func meanDistance(_ a: Tensor, _ b: Tensor) -> Tensor {
        (a - b).flattened(from: 1).norm(2, dims: [1]).mean()
    }

    /// L_Rec (Eq. 4): distance between the real faces `I` and the generated `G(X)`.
    public static func reconstruction(generated: Tensor, real: Tensor) -> Tensor {
        meanDistance(real, generated)
    }

    /// L_D (Eq. 5): `E[log D(I)] + E[log(1 − D(G(X)))]`, the value the discriminator maximizes.
    public static func discriminatorValue(realLogits: Tensor, generatedLogits: Tensor) -> Tensor {
        -Functional.softplus(-realLogits).mean() - Functional.softplus(generatedLogits).mean()
    }

    /// The discriminator's loss, `−L_D`: binary cross-entropy with real faces labelled 1 and generated ones 0.
    public static func discriminator(realLogits: Tensor, generatedLogits: Tensor) -> Tensor {
        -discriminatorValue(realLogits: realLogits, generatedLogits: generatedLogits)
    }

    /// L_Adv (Eq. 6, non-saturating form): `−E[log D(G(X))]`, small when D takes G's faces for real ones.
    public static func adversarial(generatedLogits: Tensor) -> Tensor {
        Functional.softplus(-generatedLogits).mean()
    }

    /// L_Rep (Eq. 8): distance between the target features `Y` and the extractor's features of the real faces.
    public static func representation(extracted: Tensor, target: Tensor) -> Tensor {
        meanDistance(target, extracted)
    }

    /// L_Reg (Eq. 9): distance between the target features `Y` and `E(G(X))`.
    public static func regression(transformed: Tensor, target: Tensor) -> Tensor {
        meanDistance(target, transformed)
    }
}
