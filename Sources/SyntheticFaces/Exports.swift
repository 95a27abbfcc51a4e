// The renderer's images and seeds are VisageCore's; a client of the renderer uses them without a second import.
@_exported import VisageCore
