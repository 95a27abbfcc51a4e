// swift-tools-version: 6.2
import PackageDescription

/// Layers, each depending only on the ones below it:
/// `visage` CLI → `VisageGalleryServer` (HTTP, Hummingbird) → `VisageGallery` (the gallery store, GRDB; its
///   large-gallery search through `CFaiss`, a C shim over FAISS), `VisageGalleryBenchmarks` (`visage bench gallery`)
///   → `VisageGallery` and `VisageBenchmarks`, and `VisageBenchmarks` (speed benchmarks and their Python anchors) → `Visage` (face library)
///   → `Torch` (tensors, autograd, nn) → `CTorch` (C shim over libtorch);
/// `Visage` also uses `SyntheticFaces` (the synthetic face renderer, no Torch) → `VisageCore` (`Image`,
/// `SeededRandom`, the ArcFace template), and `CImageCodecs` (setjmp-safe wrappers over the system libjpeg and libpng).
let package = Package(
    name: "Visage",
    products: [
        .library(name: "Torch", targets: ["Torch"]),
        .library(name: "SyntheticFaces", targets: ["SyntheticFaces"]),
        .library(name: "Visage", targets: ["Visage"]),
        .executable(name: "visage", targets: ["VisageCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
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
        // C++ shim over Debian's libfaiss-dev 1.7 (a static library needing BLAS, LAPACK and OpenMP) with a pure-C
        // header (include/cfaiss.h): flat, IVF and HNSW inner-product indexes for large galleries.
        .target(
            name: "CFaiss",
            cxxSettings: [.headerSearchPath("openmp")],
            linkerSettings: [
                .linkedLibrary("faiss"),
                .linkedLibrary("lapack"),
                .linkedLibrary("blas"),
                .linkedLibrary("gomp"),
                .linkedLibrary("stdc++"),
            ]
        ),
        // System image codecs (found by pkg-config) and a C layer that turns their longjmp errors into return codes.
        .systemLibrary(name: "CJPEG", pkgConfig: "libjpeg", providers: [.apt(["libjpeg-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .target(name: "CImageCodecs", dependencies: ["CJPEG", "CPNG"]),
        // The 8-bit `Image`, the reproducible `SeededRandom` and the ArcFace template, shared by the renderer and Visage.
        .target(name: "VisageCore"),
        // The synthetic face renderer, its datasets and pair lists; pure Swift, no Torch.
        .target(name: "SyntheticFaces", dependencies: ["VisageCore"]),
        .target(name: "Visage", dependencies: ["Torch", "CImageCodecs", "VisageCore", "SyntheticFaces"]),
        // The speed benchmarks of `visage bench` and `visage distill report`; Anchors/ holds the Python scripts they
        // time against (run by the benchmarks, not built).
        .target(name: "VisageBenchmarks", dependencies: ["Visage"], exclude: ["Anchors"]),
        // `visage bench gallery`: search at scale, enroll rate and the service under load (apart from
        // VisageBenchmarks because GRDB's SQL operators, visible through VisageGallery, slow its string type-checking).
        .target(name: "VisageGalleryBenchmarks", dependencies: ["VisageBenchmarks", "VisageGallery", "Visage", "Torch"]),
        // The face gallery: people, photos, faces and templates in SQLite through GRDB, or in PostgreSQL through
        // postgres-nio; large galleries searched
        // with FAISS (CFaiss).
        .target(
            name: "VisageGallery",
            dependencies: [
                "Visage", "Torch", "CFaiss", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        // The gallery's HTTP API (`visage gallery serve`) on Hummingbird.
        .target(
            name: "VisageGalleryServer",
            dependencies: [
                "VisageGallery", "Visage", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            // The web page and the OpenAPI description, compiled into the binary as byte arrays.
            resources: [
                .embedInCode("Web/index.html"), .embedInCode("Web/app.js"), .embedInCode("Web/style.css"),
                .embedInCode("Web/openapi.json"),
            ]
        ),
        .executableTarget(
            name: "VisageCLI",
            dependencies: [
                "Visage", "VisageBenchmarks", "VisageGallery", "VisageGalleryServer", "VisageGalleryBenchmarks",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Fixture files are read through #filePath, not bundled.
        .testTarget(name: "TorchTests", dependencies: ["Torch"], exclude: ["Fixtures"]),
        .testTarget(name: "SyntheticFacesTests", dependencies: ["SyntheticFaces"]),
        .testTarget(name: "VisageTests", dependencies: ["Visage"], exclude: ["Fixtures"]),
        .testTarget(name: "VisageBenchmarksTests", dependencies: ["VisageBenchmarks"]),
        // Runs the `visage` commands in process (`@testable import` of the executable target).
        .testTarget(name: "VisageCLITests", dependencies: ["VisageCLI", "Visage"]),
        .testTarget(
            name: "VisageGalleryTests",
            dependencies: [
                "VisageGallery", "VisageGalleryServer", "VisageGalleryBenchmarks", "Visage", "Torch",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
    ],
    cxxLanguageStandard: .cxx17
)
