// swift-tools-version: 6.2
import PackageDescription

/// Layers, each depending only on the ones below it:
/// `visage` CLI → `Visage` (face library) → `Torch` (tensors, autograd, nn) → `CTorch` (C shim over libtorch).
let package = Package(
    name: "Visage",
    products: [
        .library(name: "Torch", targets: ["Torch"]),
        .library(name: "Visage", targets: ["Visage"]),
        .executable(name: "visage", targets: ["VisageCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // C++ shim over Debian's libtorch-dev 1.13 with a pure-C header (include/ctorch.h).
        .target(
            name: "CTorch",
            linkerSettings: [
                .linkedLibrary("torch"),
                .linkedLibrary("torch_cpu"),
                .linkedLibrary("c10"),
                .linkedLibrary("m"),
            ]
        ),
        .target(name: "Torch", dependencies: ["CTorch"]),
        .target(name: "Visage", dependencies: ["Torch"]),
        .executableTarget(
            name: "VisageCLI",
            dependencies: ["Visage", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(name: "TorchTests", dependencies: ["Torch"]),
        .testTarget(name: "VisageTests", dependencies: ["Visage"]),
    ],
    cxxLanguageStandard: .cxx17
)
