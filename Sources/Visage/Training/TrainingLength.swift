/// How long a run trains: a number of optimizer steps, or of passes over the data.
public enum TrainingLength: Sendable, Equatable {
    /// This many optimizer steps (batches), however many epochs that is.
    case steps(Int)
    /// This many passes over the data (epochs × batches per epoch steps).
    case epochs(Int)

    /// Optimizer steps in the run, given the loader's batches per epoch.
    public func totalSteps(batchesPerEpoch: Int) -> Int {
        switch self {
        case .steps(let steps): steps
        case .epochs(let epochs): epochs * batchesPerEpoch
        }
    }

    /// Steps per unit of this length (1 for steps, batches per epoch for epochs): the factor that turns
    /// schedule positions (milestones, warmup) given in the same unit into steps.
    public func stepsPerUnit(batchesPerEpoch: Int) -> Int {
        switch self {
        case .steps: 1
        case .epochs: batchesPerEpoch
        }
    }
}
