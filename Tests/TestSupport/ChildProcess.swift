import Foundation

/// A started child process and the two pipes its output goes to, for the tests that run the
/// `isnad` binary (ScenarioTests, IsnadObservatoryTests).
public struct ChildProcess: @unchecked Sendable {
    // @unchecked: handed whole to the one thread that reads and waits for it.
    let process: Process
    let out: Pipe
    let err: Pipe

    /// `process` must already run with `out` and `err` as its standard output and error.
    public init(_ process: Process, out: Pipe, err: Pipe) {
        self.process = process
        self.out = out
        self.err = err
    }

    /// Reads both pipes to the end at once (before waiting, so neither full pipe blocks the
    /// child: read one after the other, a child that filled the second before closing the first
    /// would wait forever) and waits for the exit, on threads of their own, not on Swift's
    /// cooperative pool (two threads on a two-core machine), which every test running at once shares.
    public func finish() async -> (out: Data, err: Data, status: Int32) {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                let errorRead = DispatchSemaphore(value: 0)
                nonisolated(unsafe) var errData = Data()
                Thread.detachNewThread {
                    errData = err.fileHandleForReading.readDataToEndOfFile()
                    errorRead.signal()
                }
                let outData = out.fileHandleForReading.readDataToEndOfFile()
                errorRead.wait()
                process.waitUntilExit()
                continuation.resume(returning: (outData, errData, process.terminationStatus))
            }
        }
    }
}
