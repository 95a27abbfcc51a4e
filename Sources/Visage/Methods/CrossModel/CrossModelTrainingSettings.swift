/// Optimization settings of cross-model training: SGD with momentum and the step schedule of Section 5.2, scaled
/// to the length of the run.
///
/// The paper trains 200k iterations at batch 512, learning rate 0.08 divided by 10 at 60k, 100k and 140k,
/// momentum 0.9, weight decay 1e-3. Here the drops come at the same fractions (30 %, 50 %, 70 %) of
/// `iterations`, which is chosen for the data at hand (e.g. a number of epochs of the training pairs).
public struct CrossModelTrainingSettings: Codable, Sendable, Equatable {
    /// Total mini-batch iterations.
    public var iterations: Int
    /// Pairs per mini-batch.
    public var batchSize: Int
    /// Initial learning rate μ.
    public var learningRate: Double
    /// SGD momentum.
    public var momentum: Double
    /// L2 weight decay.
    public var weightDecay: Double
    /// Fractions of `iterations` at which the learning rate is divided by 10.
    public var milestoneFractions: [Double]
    /// Seed of the initialization and the data order.
    public var seed: UInt64
    /// How the discriminator and the generator descend (in its own step and its share of the joint step); the
    /// extractor always uses SGD.
    public var reconstructionOptimizer: ReconstructionOptimizer

    /// Settings with the paper's values for everything but the length, the batch size and the reconstruction
    /// steps' optimizer (see ``ReconstructionOptimizer``).
    public init(
        iterations: Int, batchSize: Int = 64, learningRate: Double = 0.08, momentum: Double = 0.9,
        weightDecay: Double = 1e-3, milestoneFractions: [Double] = [0.3, 0.5, 0.7], seed: UInt64 = 0,
        reconstructionOptimizer: ReconstructionOptimizer = .adam
    ) {
        self.iterations = iterations
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.milestoneFractions = milestoneFractions
        self.seed = seed
        self.reconstructionOptimizer = reconstructionOptimizer
    }

    /// The iterations at which the learning rate drops.
    public var milestones: [Int] { milestoneFractions.map { Int((Double(iterations) * $0).rounded()) } }

    /// Throws for a non-positive length or batch size, or a negative rate, momentum or decay.
    public func validate() throws {
        guard iterations > 0 else { throw CrossModelError.invalidConfiguration("iterations must be positive, got \(iterations)") }
        guard batchSize > 1 else {
            throw CrossModelError.invalidConfiguration("batch size must be at least 2 (batch norm), got \(batchSize)")
        }
        for (name, value) in [("learning rate", learningRate), ("momentum", momentum), ("weight decay", weightDecay)] {
            guard value.isFinite, value >= 0 else {
                throw CrossModelError.invalidConfiguration("\(name) must be finite and non-negative, got \(value)")
            }
        }
    }
}
