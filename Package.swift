// swift-tools-version:6.0
import PackageDescription

// Release builds optimise across module boundaries so that the generic engine
// (written once for Float and Double) is specialised where the CLI and the
// trainer instantiate it.
let optimise: [SwiftSetting] = [
    .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release)),
]

let package = Package(
    name: "RNNLab",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "RNNLab", targets: ["RNNLab"]),
        .executable(name: "rnnlab", targets: ["rnnlab"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // C libraries: each is used by exactly one Swift wrapper file.
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CHDF5", path: "Sources/CHDF5", pkgConfig: "hdf5",
                       providers: [.apt(["libhdf5-dev"])]),

        // Numerics: tensors, BLAS, element-wise kernels, random streams.
        .target(name: "RNNLabNumerics",
                dependencies: ["COpenBLAS", .product(name: "RealModule", package: "swift-numerics")],
                swiftSettings: optimise),
        // Layers and recurrent cells with hand-written forward/backward passes.
        .target(name: "RNNLabLayers", dependencies: ["RNNLabNumerics"], swiftSettings: optimise),
        // Training: optimizers, schedules, clipping, truncation, batching, initialisation, the trainer.
        .target(name: "RNNLabTraining", dependencies: ["RNNLabLayers"], swiftSettings: optimise),
        // Data: the data-set registry, checksums, file-format loaders, tokenisers, MIDI output.
        .target(name: "RNNLabData", dependencies: [], swiftSettings: optimise),
        // Tasks: data sets turned into batches, losses, metrics and baselines.
        .target(name: "RNNLabTasks", dependencies: ["RNNLabTraining", "RNNLabData"], swiftSettings: optimise),
        // Storage: the HDF5 wrapper (and, later, the run store).
        .target(name: "RNNLabStore", dependencies: ["CHDF5"], swiftSettings: optimise),
        // Experiments: run configurations, the HDF5 run files, generation from stored runs.
        .target(name: "RNNLabExperiments", dependencies: ["RNNLabTasks", "RNNLabStore", "Yams"], swiftSettings: optimise),
        // Umbrella module re-exporting the library.
        .target(name: "RNNLab", dependencies: ["RNNLabNumerics", "RNNLabLayers", "RNNLabTraining", "RNNLabData", "RNNLabTasks", "RNNLabStore", "RNNLabExperiments"],
                swiftSettings: optimise),
        // The CLI imports RNNLabExperiments directly as well as the umbrella: changes behind the
        // umbrella's @_exported imports are then seen by incremental builds.
        .executableTarget(name: "rnnlab",
                          dependencies: ["RNNLab", "RNNLabExperiments",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          swiftSettings: optimise),

        // Direct dependencies (not only the umbrella's re-exports) keep incremental builds correct.
        .testTarget(name: "RNNLabTests", dependencies: ["RNNLab", "RNNLabExperiments"]),
        .testTarget(name: "RNNLabNumericsTests", dependencies: ["RNNLabNumerics"]),
        .testTarget(name: "RNNLabLayersTests", dependencies: ["RNNLabLayers"], resources: [.copy("Fixtures")]),
        .testTarget(name: "RNNLabTrainingTests", dependencies: ["RNNLabTraining"]),
        .testTarget(name: "RNNLabDataTests", dependencies: ["RNNLabData"]),
        .testTarget(name: "RNNLabTasksTests", dependencies: ["RNNLabTasks"], resources: []),
        .testTarget(name: "RNNLabStoreTests", dependencies: ["RNNLabStore"]),
        .testTarget(name: "RNNLabExperimentsTests", dependencies: ["RNNLabExperiments"]),
    ]
)
