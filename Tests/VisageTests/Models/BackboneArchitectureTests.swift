import Foundation
import Testing
@testable import Visage

/// Backbone names: parsing, printing, coding.
@Suite("Backbone architecture names")
struct BackboneArchitectureTests {
    @Test("Every name parses back to its architecture", arguments: BackboneArchitecture.all)
    func roundTrip(architecture: BackboneArchitecture) throws {
        #expect(try BackboneArchitecture(parsing: architecture.description) == architecture)
    }

    @Test("The names are the documented ones; parsing ignores case and surrounding spaces")
    func names() throws {
        #expect(BackboneArchitecture.names == [
            "mobilefacenet", "iresnet18", "iresnet34", "iresnet50", "mobilenetv2-t6", "mobilenetv2-t10",
            "mobilenetv2-t16", "bridge-student", "mobilefacenet-ms1m",
        ])
        #expect(try BackboneArchitecture(parsing: " IResNet50 ") == .iresnet(depth: 50))
        #expect(try BackboneArchitecture(parsing: "MobileNetV2-T10") == .mobileNetV2(expansion: 10))
    }

    @Test("An unknown name is an error that lists the valid ones", arguments: ["iresnet101", "mobilenetv2-t7", ""])
    func unknown(name: String) {
        #expect {
            try BackboneArchitecture(parsing: name)
        } throws: { error in
            let message = "\(error)"
            return message.contains("'\(name)'") && message.contains("iresnet50, mobilenetv2-t6")
                && message.contains("bridge-student")
        }
    }

    @Test("Architectures survive JSON coding")
    func coding() throws {
        let data = try JSONEncoder().encode(BackboneArchitecture.all)
        #expect(try JSONDecoder().decode([BackboneArchitecture].self, from: data) == BackboneArchitecture.all)
    }
}
