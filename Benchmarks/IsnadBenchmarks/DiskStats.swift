import Foundation

/// The block device's own counters for the disk holding a path (`/proc/diskstats`): how many
/// writes and cache flushes it completed and the milliseconds they took. Read before and after a
/// phase, they tell what the disk was doing meanwhile without adding any I/O of their own, so a
/// latency figure can be read against the disk's state on this shared machine (a flush averaging
/// 0.1 ms or 10 ms).
struct DiskStats {
    var writes: Double
    var writeMilliseconds: Double
    var flushes: Double
    var flushMilliseconds: Double

    /// The counters of the device holding `path`, or `nil` (not Linux, or no such line).
    static func read(holding path: String) -> DiskStats? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        let device = UInt64(status.st_dev)
        let major = ((device >> 8) & 0xfff) | ((device >> 32) & ~0xfff)
        let minor = (device & 0xff) | ((device >> 12) & ~0xff)
        guard let text = try? String(contentsOfFile: "/proc/diskstats", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            // major minor name, then 17 counters since Linux 5.5: writes are the 5th and 8th
            // counters, flushes the 16th and 17th.
            guard fields.count >= 20, UInt64(fields[0]) == major, UInt64(fields[1]) == minor else { continue }
            let counters = fields.dropFirst(3).map { Double($0) ?? .nan }
            return DiskStats(writes: counters[4], writeMilliseconds: counters[7], flushes: counters[15], flushMilliseconds: counters[16])
        }
        return nil
    }

    /// What happened between `earlier` and this reading, as one line.
    func since(_ earlier: DiskStats) -> String {
        let writes = self.writes - earlier.writes, flushes = self.flushes - earlier.flushes
        return String(format: "the disk meanwhile (/proc/diskstats): %.0f writes averaging %.2f ms, %.0f cache flushes averaging %.2f ms",
                      writes, writes > 0 ? (writeMilliseconds - earlier.writeMilliseconds) / writes : 0,
                      flushes, flushes > 0 ? (flushMilliseconds - earlier.flushMilliseconds) / flushes : 0)
    }
}
