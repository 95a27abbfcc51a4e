import Foundation

extension Module {
    /// Writes the state dict (parameters and persistent buffers) to a safetensors file at `url`, atomically.
    ///
    /// The file loads in Python with `safetensors.torch.load_file` and `model.load_state_dict` when the module's
    /// keys match the PyTorch model's.
    public func save(to url: URL, metadata: [String: String] = [:]) throws(SafeTensorsError) {
        try SafeTensors.write(stateDict(), metadata: metadata, to: url)
    }

    /// Loads parameters and buffers from the safetensors file at `url`, in place (see
    /// ``loadStateDict(_:strict:)``).
    ///
    /// Throws ``SafeTensorsError`` if the file is unreadable or malformed, ``StateDictError`` (naming the file)
    /// if its keys or shapes do not fit this module.
    ///
    /// - Returns: the keys skipped by a non-strict load, and the file's metadata.
    @discardableResult
    public func load(from url: URL, strict: Bool = true) throws -> StateDictLoadReport {
        let contents = try SafeTensors.read(from: url)
        var report = try loadStateDict(contents.tensors, strict: strict, origin: url.path)
        report.metadata = contents.metadata
        return report
    }
}
