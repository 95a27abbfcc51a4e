// `Image` and `SeededRandom` live below the renderer in VisageCore and are part of Visage's own interface.
@_exported import VisageCore
