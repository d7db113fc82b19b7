// swift-tools-version: 6.1
// Isnad: secure communication and verifiable reporting under surveillance and blackout.
// Targets and their one-way dependencies follow ../shared/design/ARCHITECTURE.md.
import PackageDescription

let package = Package(
    name: "Isnad",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "isnad", targets: ["isnad"]),
        .library(name: "IsnadMLS", targets: ["IsnadMLS"]),
        .library(name: "IsnadTransparency", targets: ["IsnadTransparency"]),
        .library(name: "IsnadFuzzTargets", targets: ["IsnadFuzzTargets"]),
        .library(name: "IsnadWire", targets: ["IsnadWire"]),
    ],
    dependencies: [
        // Every primitive (hashes, HKDF, AEAD, HPKE, Ed25519, ECDSA): no home-made cryptography.
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        // The `isnad` command line.
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    ],
    targets: [
        // RFC 9420 core: swift-crypto only; no I/O, no clock, no logging.
        .target(
            name: "IsnadMLS",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        // RFC 9162 Merkle log, C2SP signed notes, checkpoints and tiles: swift-crypto only;
        // no I/O, no clock, no logging.
        .target(
            name: "IsnadTransparency",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        // Everything that crosses a process boundary: reports, sealed reports, commitments, receipts.
        .target(
            name: "IsnadWire",
            dependencies: ["IsnadMLS", "IsnadTransparency", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Runs the official MLS test vectors (JSON) against IsnadMLS; used by `isnad conformance` and the tests.
        .target(
            name: "IsnadMLSConformance",
            dependencies: ["IsnadMLS"]
        ),
        // The bodies of the libFuzzer harnesses in Fuzz/, replayed by the unit tests.
        .target(
            name: "IsnadFuzzTargets",
            dependencies: ["IsnadMLS"]
        ),
        .executableTarget(
            name: "isnad",
            dependencies: [
                "IsnadMLS",
                "IsnadMLSConformance",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "IsnadBenchmarks",
            dependencies: [
                "IsnadMLS",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Benchmarks/IsnadBenchmarks"
        ),
        .testTarget(
            name: "IsnadMLSTests",
            dependencies: ["IsnadMLS", "IsnadMLSConformance", "IsnadFuzzTargets"],
            exclude: ["Fixtures"],
            resources: [.copy("Vectors")]
        ),
        .testTarget(
            name: "IsnadTransparencyTests",
            dependencies: ["IsnadTransparency"]
        ),
        .testTarget(
            name: "IsnadWireTests",
            dependencies: ["IsnadWire"]
        ),
    ]
)
