import Testing
@testable import VisageGalleryServer

/// `multipart/form-data` bodies as browsers send them, and the malformed ones a client can send by mistake.
@Suite("Multipart form")
struct MultipartFormTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test("A browser's form: a file part with its name and type, a text field, a preamble and CRLF line breaks")
    func wellFormed() throws {
        let photo: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 13, 10, 0x2D, 0x2D, 0, 255]  // binary, with CRLF and "--" inside
        let body = Self.bytes("preamble to ignore\r\n--XyZ\r\nContent-Disposition: form-data; name=\"person\"\r\n\r\n"
            + "Ann Lee\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a \\\"b\\\".png\"\r\n"
            + "Content-Type: image/png\r\n\r\n") + photo + Self.bytes("\r\n--XyZ--\r\n")
        let form = try MultipartForm(body, boundary: "XyZ")
        #expect(form.parts == [
            .init(name: "person", filename: nil, contentType: nil, bytes: Self.bytes("Ann Lee")),
            .init(name: "file", filename: "a \"b\".png", contentType: "image/png", bytes: photo),
        ])
        #expect(form.part(named: "file")?.bytes == photo)
    }

    @Test("The boundary comes from the content type, quoted or not; other content types are not multipart")
    func boundary() throws {
        #expect(try MultipartForm.boundary(contentType: "multipart/form-data; boundary=----abc") == "----abc")
        #expect(try MultipartForm.boundary(contentType: "Multipart/Form-Data; charset=utf-8; boundary=\"a b\"") == "a b")
        #expect(try MultipartForm.boundary(contentType: "image/jpeg") == nil)
        let missing = #expect(throws: MultipartForm.Malformed.self) {
            try MultipartForm.boundary(contentType: "multipart/form-data")
        }
        #expect(missing?.description.contains("no boundary") == true)
        #expect(throws: MultipartForm.Malformed.self) {
            try MultipartForm.boundary(contentType: "multipart/form-data; boundary=" + String(repeating: "x", count: 71))
        }
    }

    @Test("An empty part is an empty file, not an error")
    func emptyPart() throws {
        let body = Self.bytes("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"e.png\"\r\n\r\n\r\n--b--")
        #expect(try MultipartForm(body, boundary: "b").parts.map(\.bytes) == [[]])
    }

    @Test("Malformed bodies are refused with a message naming what is wrong", arguments: [
        ("no boundary at all", "the body does not contain the multipart boundary"),
        ("--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc", "ends without its closing boundary"),
        ("--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc\r\n--b", "ends without its closing boundary"),
        ("--b\r\nContent-Disposition: form-data; name=\"file\"\r\nabc\r\n--b--", "no blank line after its headers"),
        ("--b\r\nContent-Type: image/png\r\n\r\nabc\r\n--b--", "no 'Content-Disposition: form-data"),
        ("--b\r\nContent-Disposition: attachment; name=\"file\"\r\n\r\nabc\r\n--b--", "no 'Content-Disposition: form-data"),
        ("--b\r\nno colon here\r\n\r\nabc\r\n--b--", "a header line without a colon"),
        ("--bX\r\n\r\nabc\r\n--b--", "not followed by a line break"),
    ])
    func malformed(body: String, message: String) {
        let error = #expect(throws: MultipartForm.Malformed.self) { try MultipartForm(Self.bytes(body), boundary: "b") }
        #expect(error?.description.contains(message) == true, "\(error?.description ?? "no error")")
    }
}
