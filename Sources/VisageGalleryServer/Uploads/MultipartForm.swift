import Foundation

/// A `multipart/form-data` body (RFC 7578) split into its parts: each part's name, file name, content type and
/// bytes, as browsers and CompreFace's clients send uploads.
struct MultipartForm: Equatable {
    struct Part: Equatable {
        /// The form field's name (`Content-Disposition: form-data; name="…"`).
        var name: String
        /// The uploaded file's name, when the part is a file.
        var filename: String?
        var contentType: String?
        var bytes: [UInt8]
    }

    var parts: [Part]

    /// Why a body cannot be read as multipart form data.
    struct Malformed: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// The boundary of a `multipart/form-data` content type; nil when the type is another one.
    /// - Throws: ``Malformed`` for a multipart type without a usable boundary.
    static func boundary(contentType: String) throws -> String? {
        let (type, parameters) = HeaderValue.parse(contentType)
        guard type == "multipart/form-data" else { return nil }
        guard let boundary = parameters["boundary"], !boundary.isEmpty else {
            throw Malformed("the multipart/form-data content type has no boundary parameter")
        }
        guard boundary.utf8.count <= 70 else {
            throw Malformed("the multipart boundary is \(boundary.utf8.count) characters long; at most 70 are allowed")
        }
        return boundary
    }

    /// Splits `body` at `boundary`.
    /// - Throws: ``Malformed`` naming what is missing: the first or closing boundary, a part's header block or
    ///   its form-data name.
    init(_ body: [UInt8], boundary: String) throws {
        let delimiter = Array("--\(boundary)".utf8)
        let crlf: [UInt8] = [13, 10]
        // The first delimiter may start the body or follow a preamble and its line break.
        var position: Int
        if body.starts(with: delimiter) {
            position = delimiter.count
        } else if let found = Self.find(crlf + delimiter, in: body, from: 0) {
            position = found + 2 + delimiter.count
        } else {
            throw Malformed("the body does not contain the multipart boundary '\(boundary)'")
        }
        var parts: [Part] = []
        while true {
            if body[position...].starts(with: [45, 45]) { break }  // "--": the closing delimiter
            // Transport padding (spaces, tabs) may follow a delimiter before its line break.
            while position < body.count, body[position] == 32 || body[position] == 9 { position += 1 }
            guard body[position...].starts(with: crlf) else {
                throw Malformed(position >= body.count
                    ? "the multipart body ends without its closing boundary '--\(boundary)--'"
                    : "a multipart boundary is not followed by a line break")
            }
            position += 2
            let headerEnd: Int
            let contentStart: Int
            if body[position...].starts(with: crlf) {
                (headerEnd, contentStart) = (position, position + 2)
            } else if let end = Self.find(crlf + crlf, in: body, from: position) {
                (headerEnd, contentStart) = (end, end + 4)
            } else {
                throw Malformed("multipart part \(parts.count + 1) has no blank line after its headers")
            }
            guard let next = Self.find(crlf + delimiter, in: body, from: headerEnd) else {
                throw Malformed("the multipart body ends without its closing boundary '--\(boundary)--'")
            }
            guard contentStart <= next else {
                throw Malformed("multipart part \(parts.count + 1) has no blank line after its headers")
            }
            parts.append(try Self.part(headers: body[position..<headerEnd], content: Array(body[contentStart..<next]),
                                       number: parts.count + 1))
            position = next + 2 + delimiter.count
            guard position < body.count else {
                throw Malformed("the multipart body ends without its closing boundary '--\(boundary)--'")
            }
        }
        self.parts = parts
    }

    /// A part from its header block and content.
    private static func part(headers: ArraySlice<UInt8>, content: [UInt8], number: Int) throws -> Part {
        var disposition: (String, [String: String])?
        var contentType: String?
        for line in String(decoding: headers, as: UTF8.self).components(separatedBy: "\r\n") where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else {
                throw Malformed("multipart part \(number) has a header line without a colon: '\(line.prefix(80))'")
            }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            if name == "content-disposition" { disposition = HeaderValue.parse(value) }
            if name == "content-type" { contentType = value }
        }
        guard let (kind, parameters) = disposition, kind == "form-data", let name = parameters["name"] else {
            throw Malformed("multipart part \(number) has no 'Content-Disposition: form-data; name=\"…\"' header")
        }
        return Part(name: name, filename: parameters["filename"], contentType: contentType, bytes: content)
    }

    /// The first index at or after `start` where `needle` occurs in `haystack`.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var index = start
        let last = haystack.count - needle.count
        return haystack.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { pin in
                while index <= last {
                    if hay[index] == first {
                        var matched = 1
                        while matched < pin.count, hay[index + matched] == pin[matched] { matched += 1 }
                        if matched == pin.count { return index }
                    }
                    index += 1
                }
                return nil
            }
        }
    }

    /// The first part named `name`.
    func part(named name: String) -> Part? { parts.first { $0.name == name } }
}

/// A header value with parameters, as `Content-Type` and `Content-Disposition` carry them:
/// `type; key=value; key="quoted value"`.
enum HeaderValue {
    /// The lowercased value before the first `;`, and the parameters by lowercased key (quotes removed,
    /// backslash escapes undone).
    static func parse(_ text: String) -> (String, [String: String]) {
        var characters = Substring(text)
        func skipSpaces() { while characters.first == " " || characters.first == "\t" { characters.removeFirst() } }
        let value = characters.prefix { $0 != ";" }
        characters = characters.dropFirst(value.count)
        var parameters: [String: String] = [:]
        while characters.first == ";" {
            characters.removeFirst()
            skipSpaces()
            let key = characters.prefix { $0 != "=" && $0 != ";" }
            characters = characters.dropFirst(key.count)
            guard characters.first == "=" else { continue }
            characters.removeFirst()
            skipSpaces()
            var parameter = ""
            if characters.first == "\"" {
                characters.removeFirst()
                while let character = characters.first, character != "\"" {
                    characters.removeFirst()
                    if character == "\\", let escaped = characters.first {
                        characters.removeFirst()
                        parameter.append(escaped)
                    } else {
                        parameter.append(character)
                    }
                }
                if !characters.isEmpty { characters.removeFirst() }
                characters = characters.drop { $0 != ";" }
            } else {
                let raw = characters.prefix { $0 != ";" }
                characters = characters.dropFirst(raw.count)
                parameter = raw.trimmingCharacters(in: .whitespaces)
            }
            parameters[key.trimmingCharacters(in: .whitespaces).lowercased()] = parameter
        }
        return (value.trimmingCharacters(in: .whitespaces).lowercased(), parameters)
    }
}
