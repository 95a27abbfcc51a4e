import Foundation
import HTTPTypes
import Hummingbird

/// A photo sent to the service: the request body itself, or the file part of a `multipart/form-data` body (the
/// part named `file`, as CompreFace takes it, else the form's only file), with the form's text fields.
struct PhotoUpload {
    var bytes: [UInt8]
    /// The uploaded file's name, when the form gave one.
    var filename: String?
    /// The form's text fields, which stand for query parameters of the same names.
    var fields: [String: String] = [:]

    /// Reads the upload of `request`.
    /// - Throws: `HTTPError` 413 for a body over `maxBytes`, 400 for malformed multipart or a form without a file.
    static func read(_ request: Request, maxBytes: Int) async throws -> PhotoUpload {
        var request = request
        let body: [UInt8]
        do {
            body = [UInt8](buffer: try await request.collectBody(upTo: maxBytes))
        } catch {
            throw HTTPError(.contentTooLarge, message: "the upload is larger than \(maxBytes) bytes")
        }
        let boundary: String?
        do {
            boundary = try request.headers[.contentType].flatMap { try MultipartForm.boundary(contentType: $0) }
        } catch let error as MultipartForm.Malformed {
            throw HTTPError(.badRequest, message: "malformed multipart upload: \(error)")
        }
        guard let boundary else { return PhotoUpload(bytes: body) }
        let form: MultipartForm
        do {
            form = try MultipartForm(body, boundary: boundary)
        } catch let error as MultipartForm.Malformed {
            throw HTTPError(.badRequest, message: "malformed multipart upload: \(error)")
        }
        let files = form.parts.filter { $0.filename != nil }
        guard let file = form.part(named: "file") ?? (files.count == 1 ? files[0] : nil) else {
            throw HTTPError(.badRequest, message: files.isEmpty
                ? "the multipart upload has no file: send the photo as the part named 'file'"
                : "the multipart upload has \(files.count) files and none is named 'file': send the photo as 'file'")
        }
        var fields: [String: String] = [:]
        for part in form.parts where part.filename == nil && part.name != file.name {
            fields[part.name] = String(decoding: part.bytes, as: UTF8.self)
        }
        return PhotoUpload(bytes: file.bytes, filename: file.filename.flatMap { $0.isEmpty ? nil : $0 }, fields: fields)
    }

    /// The value of the query parameter `name`, else of the form field `name`.
    func parameter(_ name: String, of request: Request) -> String? {
        request.uri.queryParameters[name[...]].map(String.init) ?? fields[name]
    }
}
