import Foundation
import IsnadFuzzTargets

/// One libFuzzer entry point for every harness; the harness is chosen by the environment
/// variable ISNAD_FUZZ_TARGET (a key of `FuzzTargets.all`, default "mls-message").
nonisolated(unsafe) let target: @Sendable ([UInt8]) -> Void = {
    let name = ProcessInfo.processInfo.environment["ISNAD_FUZZ_TARGET"] ?? "mls-message"
    guard let body = FuzzTargets.all[name] else {
        preconditionFailure("unknown ISNAD_FUZZ_TARGET \(name); known: \(FuzzTargets.all.keys.sorted())")
    }
    return body
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    target(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
