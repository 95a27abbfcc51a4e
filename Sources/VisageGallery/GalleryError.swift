/// Why a gallery operation was refused, in words that name the gallery, the person, the photo or the engines.
public struct GalleryError: Error, CustomStringConvertible, Equatable, Sendable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
