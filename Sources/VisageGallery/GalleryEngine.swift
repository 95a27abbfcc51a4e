import Foundation
import Visage

extension GalleryStore {
    /// The gallery's engine, loaded, with its stamp checked against the one its templates were made with.
    /// - Throws: ``GalleryError`` when the model at the recorded reference now has another stamp (a model file
    ///   replaced by other weights); the loader's errors for missing weights.
    public func loadModel() throws -> FaceModel {
        let (reference, stamp) = try engine()
        return try Self.loadModel(reference: reference, stamp: stamp, precision: enginePrecision(), gallery: location)
    }

    /// The model `reference` (a catalogue name or a model file) at the stored `precision`, checked to have `stamp`.
    static func loadModel(reference: String, stamp: String, precision: PrecisionCalibration?,
                          gallery: GalleryLocation) throws -> FaceModel {
        var model = try FaceModel.load(reference)
        if let precision { model = try model.atPrecision(precision) }
        guard model.identifier == stamp else {
            throw GalleryError("\(gallery) holds templates of \(stamp) but \(reference) is now \(model.identifier); "
                + "its templates cannot be compared with this model's (migrate the gallery to it instead)")
        }
        return model
    }

    /// A model for templates of `stamp`: the gallery's engine when it is that one, else the catalogue engine with
    /// that stamp; nil when neither is.
    public func model(forStamp stamp: String) throws -> FaceModel? {
        let (reference, current) = try engine()
        if stamp == current {
            return try Self.loadModel(reference: reference, stamp: stamp, precision: enginePrecision(), gallery: location)
        }
        guard let entry = EngineCatalogue.all.first(where: { $0.stamp == stamp && $0.kind == .recognition }) else { return nil }
        return try FaceEngines.load(entry)
    }

    /// The open-set threshold for templates of `stamp`: the one `calibrate` stored, else for a lowered engine the
    /// one stored for the same engine in fp32, else the engine's catalogue threshold (its fp32 one for a lowered
    /// engine).
    /// - Throws: ``GalleryError`` when there is neither (a trained model never calibrated).
    public func effectiveThreshold(for stamp: String) throws -> (value: Double, origin: String) {
        if let stored = try threshold(for: stamp) { return stored }
        let (model, precision) = InferencePrecision.split(stamp: stamp)
        if precision != .fp32, let stored = try threshold(for: model) {
            return (stored.value,
                    "\(stored.origin) (the fp32 engine's; the \(precision) engine's own: `visage gallery calibrate`)")
        }
        if let entry = EngineCatalogue.all.first(where: { $0.stamp == model }), let value = entry.threshold {
            return (value, "catalogue threshold of \(entry.name) (most accurate on LFW View 1 DevTrain pairs"
                + (precision == .fp32 ? ")" : ", in fp32; the \(precision) engine's own: `visage gallery calibrate`)"))
        }
        throw GalleryError("\(location) has no threshold for \(stamp): run `visage gallery calibrate` or give --threshold")
    }
}
