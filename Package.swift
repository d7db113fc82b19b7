// swift-tools-version: 6.1
// Isnad: secure communication and verifiable reporting under surveillance and blackout.
// Targets and their one-way dependencies follow ../shared/design/ARCHITECTURE.md.
//
// Branch `tlog`: only the IsnadTransparency entries; the lead merges this file by hand
// with the IsnadMLS / isnad / IsnadBenchmarks entries from main.
import PackageDescription

let package = Package(
    name: "Isnad",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "IsnadTransparency", targets: ["IsnadTransparency"]),
    ],
    dependencies: [
        // Every primitive (hashes, HKDF, AEAD, HPKE, Ed25519, ECDSA): no home-made cryptography.
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
    ],
    targets: [
        // RFC 9162 Merkle log, C2SP signed notes, checkpoints and tiles: swift-crypto only;
        // no I/O, no clock, no logging.
        .target(
            name: "IsnadTransparency",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(
            name: "IsnadTransparencyTests",
            dependencies: ["IsnadTransparency"]
        ),
    ]
)
