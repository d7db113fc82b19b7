import Foundation
import IsnadTestSupport
import Testing

@Suite("Test support: a child process's output")
struct ChildProcessTests {
    @Test("both pipes are read at once: a child that fills standard error before writing to standard output still ends", .timeLimit(.minutes(1)))
    func bothPipes() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // 256 KiB to stderr is four times a pipe's buffer: read one pipe after the other, the child
        // blocks on stderr while the reader waits for stdout to close.
        process.arguments = ["-c", "head -c 262144 /dev/zero >&2; echo done"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let result = await ChildProcess(process, out: out, err: err).finish()
        #expect(result.status == 0)
        #expect(String(decoding: result.out, as: UTF8.self) == "done\n")
        #expect(result.err.count == 262_144)
    }
}
