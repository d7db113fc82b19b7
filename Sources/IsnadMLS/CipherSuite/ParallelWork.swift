import Foundation

/// Spreads independent, CPU-bound work over the cores and waits for it: still a synchronous
/// call, so the group state machine stays a plain value with `mutating` transitions. Used for
/// the per-member cryptography of large groups (signature checks of KeyPackages and tree
/// leaves, HPKE seals to many recipients). The work items must only read shared values.
enum ParallelWork {
    /// Below this many items per core the work runs inline: handing out costs more than it saves.
    static let minimumItemsPerChunk = 4

    /// `(0..<count).map(body)`, computed in chunks on all cores; the first error in index
    /// order is rethrown once every chunk has finished. There are several chunks per core so
    /// that a core slowed by other work does not hold the others up at the end.
    static func map<T>(_ count: Int, _ body: @Sendable (Int) throws -> T) throws -> [T] {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        guard cores > 1, count / minimumItemsPerChunk > 1 else { return try (0..<count).map(body) }
        let chunks = min(count / minimumItemsPerChunk, cores * 8)
        var results = [Result<T, any Error>?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let slots = Slots(base: base)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                for index in (count * chunk / chunks)..<(count * (chunk + 1) / chunks) {
                    slots.base[index] = Result { try body(index) }
                }
            }
        }
        return try results.map { result in
            guard let result else { throw MLSError(.primitiveFailed, .internal, "a parallel work item produced no result") }
            return try result.get()
        }
    }
}

/// The result slots of one ``ParallelWork/map(_:_:)`` call.
/// `@unchecked Sendable`: each chunk writes only the slots of its own index range, the ranges
/// do not overlap, and the buffer outlives `concurrentPerform`, which returns only when every
/// chunk has finished; nothing reads the slots before then.
private struct Slots<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Result<T, any Error>?>
}
