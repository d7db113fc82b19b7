/// Everything the relay keeps: accounts, credentials, KeyPackages, group epochs, mailboxes and attachments.
///
/// Implemented by ``InMemoryRelayStore`` here, and by the SQLite and PostgreSQL engines in
/// their own modules; all pass the checks in ``RelayStoreContract``.
///
/// Nothing stored names the sender of a message, and no method takes an IP address.
public protocol RelayStore: AccountStore, AuthStore, KeyPackageStore, GroupStore, MailboxStore, AttachmentStore {}
