import Hummingbird

/// A file the service serves without a key: the web page, its script and style sheet, and the OpenAPI
/// description. The files live in Web/ and are compiled into the binary (SwiftPM's `embedInCode`), so the service
/// needs no file beside it.
struct WebAsset: Sendable {
    let path: String
    let contentType: String
    let bytes: [UInt8]

    func response() -> Response {
        Response(status: .ok, headers: [.contentType: contentType, .cacheControl: "no-cache"],
                 body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

enum WebAssets {
    static let openAPI = WebAsset(path: "/openapi.json", contentType: "application/json", bytes: PackageResources.openapi_json)

    static let all = [
        WebAsset(path: "/", contentType: "text/html; charset=utf-8", bytes: PackageResources.index_html),
        WebAsset(path: "/app.js", contentType: "text/javascript; charset=utf-8", bytes: PackageResources.app_js),
        WebAsset(path: "/style.css", contentType: "text/css; charset=utf-8", bytes: PackageResources.style_css),
        openAPI,
    ]
}
