/// Saving and restoring a ``GradientOptimizer``'s state in the layout described at ``OptimizerState``.
extension GradientOptimizer {
    /// A snapshot of the state: copies of every buffer, the step counts, and every group's settings.
    public func stateDict() -> OptimizerState {
        var saved = OptimizerState(optimizer: Rule.name)
        var index = 0
        for (groupIndex, group) in groups.enumerated() {
            let prefix = "group.\(groupIndex)."
            for field in Hyperparameters.fields {
                saved.scalars[prefix + field.key] = field.read(group.hyperparameters)
            }
            saved.scalars[prefix + "initial_lr"] = group.baseLearningRate
            saved.scalars[prefix + "parameter_count"] = Double(group.parameters.count)
            for parameter in group.parameters {
                defer { index += 1 }
                guard let state = states[ParameterIdentity(parameter)] else { continue }
                for (key, tensor) in state.savedTensors {
                    saved.tensors["state.\(index).\(key)"] = withoutGrad { tensor.detached().clone() }
                }
                for (key, value) in state.savedScalars {
                    saved.scalars["state.\(index).\(key)"] = value
                }
            }
        }
        return saved
    }

    /// Restores state saved by ``stateDict()``: buffers, step counts and every group's settings.
    ///
    /// The state must come from the same optimizer over parameters of the same shapes, grouped the same way;
    /// otherwise this throws an error naming the offending key (and shape) and leaves the optimizer unchanged.
    public func loadStateDict(_ saved: OptimizerState) throws(OptimizerError) {
        guard saved.optimizer == Rule.name else {
            throw .optimizerMismatch(expected: Rule.name, found: saved.optimizer)
        }

        // Sort every key into its group or parameter.
        var groupScalars: [Int: [String: Double]] = [:]
        var entries: [Int: ParameterStateEntries] = [:]
        let flat = groups.flatMap { group in zip(group.parameters, group.names).map { ($0, $1) } }
        func parameterEntries(_ key: String, _ index: Int) throws(OptimizerError) -> ParameterStateEntries {
            guard index < flat.count else { throw .unexpectedKey(key) }
            return entries[index]
                ?? ParameterStateEntries(parameter: flat[index].0, parameterName: flat[index].1,
                                         keyPrefix: "state.\(index).")
        }
        for (key, tensor) in saved.tensors.sorted(by: { $0.key < $1.key }) {
            guard let parsed = Self.parseKey(key), parsed.kind == "state" else { throw .unexpectedKey(key) }
            var parameterState = try parameterEntries(key, parsed.index)
            parameterState.tensors[parsed.name] = tensor
            entries[parsed.index] = parameterState
        }
        for (key, value) in saved.scalars.sorted(by: { $0.key < $1.key }) {
            guard let parsed = Self.parseKey(key) else { throw .unexpectedKey(key) }
            if parsed.kind == "group" {
                groupScalars[parsed.index, default: [:]][parsed.name] = value
            } else {
                var parameterState = try parameterEntries(key, parsed.index)
                parameterState.scalars[parsed.name] = value
                entries[parsed.index] = parameterState
            }
        }

        // Groups: same count and sizes; settings restored as PyTorch's load_state_dict does.
        let savedGroupCount = (groupScalars.keys.max() ?? -1) + 1
        guard savedGroupCount == groups.count else {
            throw .groupCountMismatch(expected: groups.count, found: savedGroupCount)
        }
        var restoredGroups = groups
        for groupIndex in groups.indices {
            var values = groupScalars[groupIndex] ?? [:]
            let prefix = "group.\(groupIndex)."
            func take(_ key: String) throws(OptimizerError) -> Double {
                guard let value = values.removeValue(forKey: key) else { throw .missingKey(prefix + key) }
                return value
            }
            let count = try take("parameter_count")
            guard count == Double(groups[groupIndex].parameters.count) else {
                throw .groupSizeMismatch(group: groupIndex, expected: groups[groupIndex].parameters.count,
                                         found: count >= 0 && count < 0x1p53 ? Int(count) : -1)
            }
            restoredGroups[groupIndex].baseLearningRate = try take("initial_lr")
            var hyperparameters = groups[groupIndex].hyperparameters
            for field in Hyperparameters.fields {
                let value = try take(field.key)
                guard field.write(&hyperparameters, value) else {
                    throw .invalidValue(key: prefix + field.key, value: "\(value)", requirement: "0 or 1")
                }
            }
            if let unexpected = values.keys.sorted().first { throw .unexpectedKey(prefix + unexpected) }
            try hyperparameters.validate()
            restoredGroups[groupIndex].hyperparameters = hyperparameters
        }

        // Parameters: each one's entries rebuilt by the rule, with shapes checked.
        var restoredStates: [ParameterIdentity: ParameterState] = [:]
        var index = 0
        for group in restoredGroups {
            for parameter in group.parameters {
                defer { index += 1 }
                guard var remaining = entries[index] else { continue }
                let state = try ParameterState(restoring: &remaining, hyperparameters: group.hyperparameters)
                if let unexpected = remaining.remainingKeys.first { throw .unexpectedKey(unexpected) }
                restoredStates[ParameterIdentity(parameter)] = state
            }
        }

        groups = restoredGroups
        states = restoredStates
    }

    /// Splits "state.3.exp_avg" into ("state", 3, "exp_avg"); nil for keys of any other form.
    private static func parseKey(_ key: String) -> (kind: String, index: Int, name: String)? {
        let parts = key.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "state" || parts[0] == "group", !parts[2].isEmpty,
            let index = Int(parts[1]), index >= 0, String(index) == parts[1]
        else { return nil }
        return (String(parts[0]), index, String(parts[2]))
    }
}
