// swift-tools-version: 6.1
// libFuzzer harnesses for Isnad's decoders and a live MLS group (docs/fuzzing.md).
// Kept in their own package: libFuzzer supplies `main`, so these executables only link
// when built with `--sanitize=fuzzer`, which the main package's build never uses.
import PackageDescription

let package = Package(
    name: "IsnadFuzz",
    dependencies: [.package(name: "Isnad", path: "..")],
    targets: [
        .executableTarget(
            name: "MLSFuzzer",
            dependencies: [.product(name: "IsnadFuzzTargets", package: "Isnad")]
        ),
    ]
)
