/// Which mailboxes may have new messages.
public enum MailboxWakeup: Hashable, Sendable {
    /// These devices' mailboxes received messages (committed).
    case devices([DeviceID])
    /// These devices' mailboxes received messages (committed), the newest of each at the cursor
    /// given: a connection that has sent or been handed that cursor already need not read.
    case newest([DeviceID: Int64])
    /// Any mailbox may have: the watch (re)started, and notifications sent before it were not seen.
    case all
    /// These devices were removed from their accounts (committed): their connections are to close.
    case removed([DeviceID])
}

/// A store that several relay processes share tells each of them when a mailbox received
/// messages, or a device was removed, whichever process did it, so that WebSocket push (and
/// closing a removed device's sockets) works across processes.
///
/// An embedded store used by one process does not need this: the relay wakes its own
/// connections after each commit.
public protocol MailboxWakeupSource: Sendable {
    /// Calls `wake` after messages for some devices, or their removal, are committed, by any process, until the
    /// task is cancelled. Reconnects by itself after a lost connection, then wakes ``MailboxWakeup/all``.
    func watchMailboxes(_ wake: @escaping @Sendable (MailboxWakeup) -> Void) async throws
}
