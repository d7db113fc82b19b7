import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Named moments between the client's steps where the crash tests end the process at once, as
/// a kill or a flat battery would: `ISNAD_CRASH_AT=<name>` in the environment (tests only).
///
/// ```
/// after-store   : state, history and outbox committed; nothing posted yet
/// after-post    : the relay accepted; the outbox entry not yet settled (a commit not yet adopted)
/// after-process : an arrival committed to the store; not yet acknowledged to the relay
/// during-upload : one piece of a file uploaded, the rest not
/// ```
enum CrashPoint: String {
    case afterStore = "after-store"
    case afterPost = "after-post"
    case afterProcess = "after-process"
    case duringUpload = "during-upload"

    /// Ends the process with status 86, without cleanup, when this point is the one named.
    func reach() {
        guard ProcessInfo.processInfo.environment["ISNAD_CRASH_AT"] == rawValue else { return }
        _exit(86)
    }
}
