import Foundation

/// A one-line progress bar on standard error, shown only when it is a terminal.
final class ProgressBar: Sendable {
    let label: String
    let isShown = isatty(STDERR_FILENO) != 0
    /// How the amounts read after the percentage, from what is done and the total.
    let amounts: @Sendable (Int64, Int64) -> String

    /// A bar whose amounts are bytes, shown in MiB.
    init(label: String) {
        self.label = label
        amounts = { String(format: "%.1f/%.1f MiB", Double($0) / 1_048_576, Double($1) / 1_048_576) }
    }

    init(label: String, amounts: @escaping @Sendable (Int64, Int64) -> String) {
        (self.label, self.amounts) = (label, amounts)
    }

    func show(_ done: Int64, of total: Int64) {
        guard isShown, total > 0 else { return }
        let fraction = Double(min(max(done, 0), total)) / Double(total)
        let filled = Int(fraction * 30)
        let line = "\r\(label) [\(String(repeating: "#", count: filled))\(String(repeating: ".", count: 30 - filled))] \(Int(fraction * 100))% "
            + amounts(done, total)
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        if isShown { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
