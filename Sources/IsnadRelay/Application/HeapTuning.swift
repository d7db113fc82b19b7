#if canImport(Glibc)
import Glibc
#endif

/// Settings of the C allocator for a long-running server process.
///
/// glibc hands the free top of a thread's heap back to the kernel as soon as more than 128 KiB
/// is free there. SQLite frees a statement's savepoint state at the end of every write statement,
/// so under load the SQLite writer's heap grew and shrank thousands of times a second: each
/// shrink an `madvise`, TLB shoot-downs on the other cores and fresh page faults on the next
/// growth (about 4% of the relay's CPU in `IsnadBenchmarks relay`, see docs/performance.md).
///
/// ``apply()`` raises the trim threshold to 16 MiB, so a heap keeps up to that much free memory
/// it already had, and fixes the size above which a block gets its own mapping at 1 MiB (setting
/// one turns off glibc's moving of the other). Servers call it once, before they start.
public enum HeapTuning {
    public static let trimThreshold: Int32 = 16 << 20
    public static let mappingThreshold: Int32 = 1 << 20

    /// `true` if the allocator took both settings (always `false` where the C library is not glibc).
    @discardableResult
    public static func apply() -> Bool {
        #if canImport(Glibc)
        // `mallopt` is declared in <malloc.h>, which Swift's Glibc module does not include; the
        // parameter numbers are glibc's M_TRIM_THRESHOLD (-1) and M_MMAP_THRESHOLD (-3).
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return false }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        return mallopt(-1, trimThreshold) == 1 && mallopt(-3, mappingThreshold) == 1
        #else
        return false
        #endif
    }
}
