// swift-tools-version:6.0
import PackageDescription
import Foundation

// Release builds optimise across module boundaries so that the generic engine
// (written once for Float and Double) is specialised where the CLI and the
// trainer instantiate it.
//
// On x86-64 machines with AVX2 and FMA, builds generate code for that
// instruction set (`-target-cpu haswell`): the cells' eight-lane SIMD8<Float>
// kernels then use one 256-bit register instead of two SSE ones (Swift never
// fuses a multiply and an add on its own, so they give the same bits), and the
// recurrent steps' products use the packed FMA kernel of PackedGEMM.swift.
// RNNLAB_TARGET_CPU overrides the choice: another CPU name for -target-cpu,
// or `x86-64` for a baseline binary that must run on older CPUs.
let targetCPU = chooseTargetCPU()
let optimise: [SwiftSetting] = [
    .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release)),
] + targetSettings

/// The CPU flags for every configuration (debug too, so that the tests run the same kernels).
/// `RNNLAB_FMA` enables the packed-weight product of the recurrent steps (PackedGEMM.swift).
var targetSettings: [SwiftSetting] {
    guard let targetCPU else { return [] }
    return [.unsafeFlags(["-target-cpu", targetCPU]), .define("RNNLAB_FMA")]
}

func chooseTargetCPU() -> String? {
    if let cpu = ProcessInfo.processInfo.environment["RNNLAB_TARGET_CPU"], !cpu.isEmpty {
        return cpu == "x86-64" || cpu == "none" ? nil : cpu
    }
    #if arch(x86_64) && os(Linux)
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let flagsLine = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return nil }
    let flags = Set(flagsLine.split(separator: " ").map(String.init))
    return flags.isSuperset(of: ["avx", "avx2", "fma", "bmi2", "f16c", "movbe"]) ? "haswell" : nil
    #else
    return nil
    #endif
}

let package = Package(
    name: "RNNLab",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "RNNLab", targets: ["RNNLab"]),
        .executable(name: "rnnlab", targets: ["rnnlab"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // Build tool: the source commit and dirty flag, embedded into RNNLabRunStore at build time.
        .plugin(name: "BuildInfo", capability: .buildTool(), exclude: ["write-build-info.sh"]),

        // Each target depends on exactly the modules its files import; only the umbrella re-exports (@_exported).
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
        .target(name: "RNNLabLayers",
                dependencies: ["RNNLabNumerics", .product(name: "RealModule", package: "swift-numerics")],
                swiftSettings: optimise),
        // Training: optimizers, schedules, clipping, truncation, batching, initialisation, the trainer.
        .target(name: "RNNLabTraining",
                dependencies: ["RNNLabNumerics", "RNNLabLayers", .product(name: "RealModule", package: "swift-numerics")],
                swiftSettings: optimise),
        // Data: the data-set registry, checksums (SHA-256 from swift-crypto), file-format loaders, tokenisers, MIDI output.
        .target(name: "RNNLabData", dependencies: [.product(name: "Crypto", package: "swift-crypto")], swiftSettings: optimise),
        // Tasks: data sets turned into batches, losses, metrics and baselines.
        .target(name: "RNNLabTasks",
                dependencies: ["RNNLabNumerics", "RNNLabLayers", "RNNLabTraining", "RNNLabData", .product(name: "RealModule", package: "swift-numerics")],
                swiftSettings: optimise),
        // HDF5: the one Swift wrapper of the C library.
        .target(name: "RNNLabHDF5", dependencies: ["CHDF5"], swiftSettings: optimise),
        // The run store: run configurations, run files (layout, writing, reading, checksums), durable writes,
        // the store's directory and states, locks, failure records and quarantine.
        // The BuildInfo plugin writes the source commit into it before every build (Plugins/BuildInfo).
        .target(name: "RNNLabRunStore",
                dependencies: ["RNNLabNumerics", "RNNLabLayers", "RNNLabTraining", "RNNLabData", "RNNLabTasks", "RNNLabHDF5"],
                swiftSettings: optimise, plugins: ["BuildInfo"]),
        // Experiments: experiment files, the runner, reports, generation from stored runs.
        .target(name: "RNNLabExperiments",
                dependencies: ["RNNLabNumerics", "RNNLabLayers", "RNNLabTraining", "RNNLabData", "RNNLabTasks", "RNNLabHDF5",
                               "RNNLabRunStore", "Yams", .product(name: "RealModule", package: "swift-numerics")],
                swiftSettings: optimise),
        // Reports: collecting a report's values from the run files, statistics, renderers (Markdown, LaTeX, CSV, SVG,
        // the results index) and the writer.
        .target(name: "RNNLabReports",
                dependencies: ["RNNLabTraining", "RNNLabData", "RNNLabTasks", "RNNLabRunStore", "RNNLabExperiments", .product(name: "RealModule", package: "swift-numerics")],
                swiftSettings: optimise),
        // Umbrella module re-exporting the library.
        .target(name: "RNNLab", dependencies: ["RNNLabNumerics", "RNNLabLayers", "RNNLabTraining", "RNNLabData", "RNNLabTasks", "RNNLabHDF5", "RNNLabRunStore", "RNNLabExperiments",
                                               "RNNLabReports"],
                swiftSettings: optimise),
        // The CLI imports each library module it uses directly, not through the umbrella's @_exported
        // imports (the umbrella itself only for RNNLabInfo), so that incremental builds see every change.
        .executableTarget(name: "rnnlab",
                          dependencies: ["RNNLab", "RNNLabNumerics", "RNNLabLayers", "RNNLabTraining", "RNNLabData", "RNNLabTasks", "RNNLabHDF5",
                                         "RNNLabRunStore", "RNNLabExperiments", "RNNLabReports",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          swiftSettings: optimise),

        // Like the library targets, each test target depends on exactly the modules its files import
        // (ReadmeExampleTests imports the umbrella only, as the README's example does).
        .testTarget(name: "RNNLabTests", dependencies: ["RNNLab", "RNNLabLayers", "RNNLabTraining", "RNNLabData", "RNNLabTasks", "RNNLabRunStore",
                                                      "RNNLabExperiments", .product(name: "RealModule", package: "swift-numerics")]),
        .testTarget(name: "RNNLabNumericsTests", dependencies: ["RNNLabNumerics", .product(name: "RealModule", package: "swift-numerics")],
                    swiftSettings: targetSettings),
        .testTarget(name: "RNNLabLayersTests", dependencies: ["RNNLabNumerics", "RNNLabLayers", .product(name: "RealModule", package: "swift-numerics")],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "RNNLabTrainingTests", dependencies: ["RNNLabNumerics", "RNNLabLayers", "RNNLabTraining"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "RNNLabDataTests", dependencies: ["RNNLabData"]),
        .testTarget(name: "RNNLabTasksTests", dependencies: ["RNNLabNumerics", "RNNLabLayers", "RNNLabTraining", "RNNLabData", "RNNLabTasks",
                                                           .product(name: "RealModule", package: "swift-numerics")], resources: []),
        .testTarget(name: "RNNLabHDF5Tests", dependencies: ["RNNLabHDF5"]),
        .testTarget(name: "RNNLabRunStoreTests", dependencies: ["RNNLabLayers", "RNNLabTraining", "RNNLabData", "RNNLabTasks", "RNNLabHDF5",
                                                              "RNNLabRunStore"]),
        .testTarget(name: "RNNLabExperimentsTests", dependencies: ["RNNLabNumerics", "RNNLabLayers", "RNNLabTraining", "RNNLabData", "RNNLabTasks",
                                                                 "RNNLabHDF5", "RNNLabRunStore", "RNNLabExperiments"], exclude: ["Fixtures"]),
        .testTarget(name: "RNNLabReportsTests", dependencies: ["RNNLabData", "RNNLabRunStore", "RNNLabExperiments", "RNNLabReports"]),
    ]
)
