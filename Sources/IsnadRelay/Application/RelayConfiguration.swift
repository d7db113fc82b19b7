import Foundation
import NIOSSL

/// What an operator can tune on a relay. The defaults suit a small community relay.
public struct RelayConfiguration: Sendable {
    /// The address to listen on; loopback by default, so nothing is exposed by accident.
    public var host: String = "127.0.0.1"
    /// The TCP port to listen on (0 picks a free one).
    public var port: Int = 7420
    /// How long an unacknowledged message (and its idempotence record) is kept.
    public var messageRetention: TimeInterval = 30 * 86400
    /// How long a device has to answer an authentication challenge.
    public var challengeLifetime: TimeInterval = 120
    /// How long a bearer token stays valid.
    public var tokenLifetime: TimeInterval = 3600
    /// The largest request body accepted, in bytes as sent (base64url makes bytes 4/3 larger).
    public var maxRequestBodySize: Int = 2 * 1024 * 1024
    /// The largest message or commit payload, in bytes after decoding.
    public var maxMessageSize: Int = 1024 * 1024
    /// The largest KeyPackage, in bytes after decoding.
    public var maxKeyPackageSize: Int = 64 * 1024
    /// How many KeyPackages one upload may carry.
    public var maxKeyPackagesPerUpload: Int = 100
    /// The most messages one device's mailbox keeps: storing a new one drops the oldest beyond
    /// this (the device sees a gap in its cursors), so a device that never fetches cannot fill
    /// the disk. Messages also leave by acknowledgement and by ``messageRetention``.
    public var maxQueuedMessages: Int = 50_000
    /// How many devices one message or commit may name.
    public var maxRecipients: Int = 1000
    /// The largest page a fetch returns (and the default page).
    public var maxFetchLimit: Int = 500
    /// The largest MLS group ID, in bytes.
    public var maxGroupIDSize: Int = 256
    /// How many devices one account may link.
    public var maxDevicesPerAccount: Int = 16
    /// The largest attachment (an encrypted blob), in bytes.
    public var maxAttachmentSize: Int64 = 100 * 1024 * 1024
    /// The largest chunk one `PUT /v1/attachments/{id}` may carry, in bytes.
    public var maxAttachmentChunkSize: Int = 1024 * 1024
    /// How often expired messages, idempotence records, challenges and tokens are removed.
    public var sweepInterval: TimeInterval = 300
    /// Requests per remote address (every route). Generous: many people may share one address
    /// behind a community network's NAT. `nil` turns it off.
    public var addressRateLimit: RateLimit? = RateLimit(perSecond: 100, burst: 500)
    /// Requests per authenticated device. `nil` turns it off.
    public var deviceRateLimit: RateLimit? = RateLimit(perSecond: 20, burst: 200)
    /// Requests per account (identity key), all its devices together, so linking devices does
    /// not multiply an account's allowance. `nil` turns it off.
    public var identityRateLimit: RateLimit? = RateLimit(perSecond: 40, burst: 400)
    /// How many addresses or devices each rate limiter remembers (bounded memory).
    public var rateLimitKeys: Int = 100_000
    /// A connection silent for this long is closed, and one whose request head (line and
    /// headers) has not fully arrived this long after it opened or after its last answer: the
    /// idle and header timeouts. At most a day.
    public var idleTimeout: TimeInterval = 60
    /// A connection whose client takes none of what the relay sends for this long is closed:
    /// a download it stopped reading, a push connection whose device stopped reading. A client
    /// that reads slowly but keeps reading is not. At most a day.
    public var writeTimeout: TimeInterval = 60
    /// The largest WebSocket frame (push pages out, acknowledgements in), in bytes.
    public var maxWebSocketFrameSize: Int = 64 * 1024
    /// A WebSocket client silent for this long is pinged, and closed if it stays silent as long again.
    public var webSocketPingInterval: TimeInterval = 30
    /// Serve HTTPS (and WSS) with this configuration instead of plain HTTP; see ``RelayTLS``.
    public var tls: TLSConfiguration?

    /// The default configuration.
    public init() {}
}
