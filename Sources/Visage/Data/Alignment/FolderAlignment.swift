import Foundation

/// Aligns a folder of raw face images, one sub-folder per identity, into a folder of aligned PNG crops with the
/// same relative paths, using the landmarks of a ``LandmarksFile``.
public struct FolderAlignment {
    /// What a run did.
    public struct Report: Sendable, Equatable {
        /// The crops written.
        public var aligned: Int
        /// Images or landmark rows left out because they could not be used (only with `skipBad`).
        public var skipped: [BadImage]
    }

    /// The raw images.
    public let images: ImageFolder
    public let landmarks: LandmarksFile
    /// The folder the crops are written to.
    public let output: URL
    /// Side of the square crops.
    public let size: Int
    public let template: AlignmentTemplate

    /// Prepares a run.
    /// - Throws: ``AlignmentError/invalidSize(width:height:)`` for a size that is not positive, ``DataFileError``
    ///   when the output folder is the images folder or two images would be written to the same PNG.
    public init(
        images: ImageFolder, landmarks: LandmarksFile, output: URL, size: Int = 112,
        template: AlignmentTemplate = .arcface112
    ) throws {
        guard size > 0 else { throw AlignmentError.invalidSize(width: size, height: size) }
        let output = output.standardizedFileURL
        guard output.path != images.root.path else {
            throw DataFileError(output, "the output folder must differ from the images folder")
        }
        var sources: [String: String] = [:]
        for sample in images.samples {
            let target = Self.outputPath(for: sample)
            if let other = sources[target] {
                throw DataFileError(output, "\(other) and \(sample.relativePath) would both be written to \(target)")
            }
            sources[target] = sample.relativePath
        }
        self.images = images
        self.landmarks = landmarks
        self.output = output
        self.size = size
        self.template = template
    }

    /// The crop's path below the output folder: the sample's relative path with a `.png` extension.
    public static func outputPath(for sample: ImageFolder.Sample) -> String {
        (sample.relativePath as NSString).deletingPathExtension + ".png"
    }

    /// Aligns and writes every image.
    ///
    /// Problems are: an image without a landmarks row, a landmarks row for an image inside the images folder that
    /// does not exist, an image that cannot be decoded, landmarks that do not define a transform.
    /// - Parameters:
    ///   - skipBad: false stops at the first problem by throwing it; true leaves such images out and reports them.
    ///     Missing landmarks and missing images are found before anything is written.
    ///   - progress: advanced once per image when given.
    public func run(skipBad: Bool = false, progress: ProgressBar? = nil) throws -> Report {
        var skipped: [BadImage] = []
        func problem(_ error: any Error, path: String) throws {
            guard skipBad else { throw error }
            skipped.append(BadImage(path: path, reason: Self.reason(of: error)))
        }

        let samplePaths = Set(images.samples.map(\.url.path))
        for record in landmarks.records {
            let url = landmarks.imageURL(of: record)
            if url.pathInside(images.root) != nil, !samplePaths.contains(url.path) {
                try problem(
                    DataFileError(landmarks.url, line: record.line, "image \(record.image) does not exist (\(url.path))"),
                    path: url.path)
            }
        }
        var work: [(ImageFolder.Sample, LandmarkRecord)] = []
        for sample in images.samples {
            guard let record = landmarks.record(forImageAt: sample.url, imagesRoot: images.root) else {
                try problem(
                    DataFileError(landmarks.url, "no landmarks for \(sample.url.path) (expected a row with image "
                        + "\(sample.url.pathInside(landmarks.url.deletingLastPathComponent()) ?? sample.relativePath))"),
                    path: sample.url.path)
                progress?.advance()
                continue
            }
            work.append((sample, record))
        }

        var aligned = 0
        for (sample, record) in work {
            defer { progress?.advance() }
            let crop: Image
            do {
                let image = try ImageCodec.decode(contentsOf: sample.url)
                do {
                    crop = try FaceAligner.align(image, landmarks: record.landmarks, size: size, template: template)
                } catch let error as AlignmentError {
                    throw DataFileError(landmarks.url, line: record.line, "\(record.image): \(error)")
                }
            } catch {
                try problem(error, path: sample.url.path)
                continue
            }
            // Failing to write is a problem with the output folder, not the image, so it always stops the run.
            let target = output.appendingPathComponent(Self.outputPath(for: sample))
            let folder = target.deletingLastPathComponent()
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw DataFileError(folder, "cannot create the folder: \(error.localizedDescription)")
            }
            try ImageCodec.write(crop, to: target)
            aligned += 1
        }
        return Report(aligned: aligned, skipped: skipped)
    }

    private static func reason(of error: any Error) -> String {
        switch error {
        case let error as ImageError: error.reason
        case let error as DataFileError: error.line.map { "\(error.message) (\(error.file):\($0))" } ?? error.message
        default: "\(error)"
        }
    }
}
