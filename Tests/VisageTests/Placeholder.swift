import Testing
@testable import Visage
