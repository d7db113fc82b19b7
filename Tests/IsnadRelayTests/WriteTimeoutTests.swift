import Foundation
import IsnadRelay
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization
import Testing

/// The write timeout, on a real server over loopback: raw clients with a small receive buffer,
/// so the relay's writes really wait for them.
// Serialized: each test moves megabytes through throttled sockets; four at once, beside the
// rest of the suite on two cores, once pushed a 1 MiB upload over TLS past the test client's 15 s.
@Suite("The write timeout: a client that stops reading is closed, a slow reader is not", .serialized)
struct WriteTimeoutTests {
    /// Larger than what the kernel buffers on both ends of one loopback connection hold: about
    /// 2.7 MiB here, as Linux grows the relay's send buffer towards 4 MiB (`tcp_wmem`).
    static let stalledSize = 6 << 20
    /// The client's `SO_RCVBUF`; the kernel doubles it.
    static let receiveBuffer: Int32 = 4096

    /// Uploads a blob of `size` bytes; returns a device that may download it, its ID and bytes.
    static func uploaded(_ relay: RelayClient, size: Int) async throws -> (token: String, id: String, bytes: Data) {
        let device = try await relay.signedIn()
        let (bytes, id) = AttachmentRouteTests.blob(size)
        // 256 KiB a request: each stays far inside the test client's 15 s per request, even over TLS on a loaded machine.
        let done = try await AttachmentRouteTests.upload(relay, bytes, id: id, chunk: 256 << 10, token: device.token)
        #expect(done.json["complete"] as? Bool == true)
        return (device.token, id, bytes)
    }

    /// The body after an HTTP/1.1 response head.
    static func body(_ response: Data) -> Data? {
        response.range(of: Data("\r\n\r\n".utf8)).map { response[$0.upperBound...] }
    }

    @Test("a client that asks for a large attachment and reads none of it is closed after the write timeout")
    func stalledDownload() async throws {
        try await withRelay(.live, configure: { $0.writeTimeout = 1 }) { relay in
            let (token, id, _) = try await Self.uploaded(relay, size: Self.stalledSize)
            let connection = try RawConnection(port: try #require(relay.client.port), receiveBuffer: Self.receiveBuffer)
            try connection.send("GET /v1/attachments/\(id) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n\r\n")
            // Three times the timeout without reading a byte. A FIN (or reset) from the relay
            // waits behind the bytes already in the kernel's buffers, so read them to find it.
            try await Task.sleep(for: .seconds(3))
            let end = try await connection.readSlowly(timeout: .seconds(10))
            let body = try #require(Self.body(end.data), "no response head")
            #expect(end.closed, "the relay kept open a connection that took nothing for 3 s (the timeout is 1 s)")
            // Left open, the relay would have sent it all: the close came while the body was stuck.
            #expect(body.count < Self.stalledSize, "the whole body came: the relay never waited for this client")
            let scrape = try await Scrape.take(relay)
            #expect(scrape.value(#"isnad_relay_connections_timed_out_total{timeout="write"}"#) == 1, "the close is counted")
            #expect(scrape.value(#"isnad_relay_connections_timed_out_total{timeout="request-head"}"#) == 0)
        }
    }

    @Test("a client that reads a large attachment slowly but steadily, for longer than the write timeout, gets it whole")
    func slowReader() async throws {
        // 2 s rather than 1: a reader starved of the CPU for a second on a loaded test machine is not the case shown here.
        try await withRelay(.live, configure: { $0.writeTimeout = 2 }) { relay in
            // Smaller, to stay quick: the relay still writes a 1 MiB piece after the kernel is full.
            let size = 4 << 20
            let (token, id, bytes) = try await Self.uploaded(relay, size: size)
            let connection = try RawConnection(port: try #require(relay.client.port), receiveBuffer: Self.receiveBuffer)
            try connection.send("GET /v1/attachments/\(id) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\nConnection: close\r\n\r\n")
            // About 800 KiB/s: each 1 MiB piece the relay writes keeps the channel unwritable for
            // more than the timeout, while the client keeps taking bytes.
            let started = ContinuousClock.now
            let end = try await connection.readSlowly(step: 16 * 1024, pause: .milliseconds(20), timeout: .seconds(30))
            let took = ContinuousClock.now - started
            #expect(took > .seconds(2), "read in \(took): not slower than the timeout, so this shows nothing")
            let body = try #require(Self.body(end.data), "no response head")
            #expect(end.closed)
            #expect(body.count == size, "\(body.count) of \(size) bytes in \(took)")
            #expect(sameBytes(body, bytes), "the body differs from what was uploaded")
        }
    }

    @Test("over TLS, a client that reads none of a large attachment is closed after the write timeout",
          .enabled(if: SelfSignedCertificate.openssl != nil, "openssl is not on this machine, so no test certificate can be made"))
    func stalledDownloadOverTLS() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("isnad-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let certificate = try SelfSignedCertificate(in: folder)
        let tls = try RelayTLS.configuration(certificatePath: certificate.certificatePath, privateKeyPath: certificate.privateKeyPath)
        try await withRelay(.ahc(.https), configure: { $0.writeTimeout = 1; $0.tls = tls }) { relay in
            let (token, id, _) = try await Self.uploaded(relay, size: Self.stalledSize)
            let reading = PausingTLSReader.Seen()
            let channel = try await PausingTLSReader.connect(port: try #require(relay.client.port), receiveBuffer: Self.receiveBuffer, seen: reading)
            defer { channel.close(promise: nil) }
            // Sent once the handshake is done; the reader stops at the first bytes of the answer.
            try await channel.writeAndFlush(ByteBuffer(string: "GET /v1/attachments/\(id) HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(token)\r\n\r\n"))
            let asked = ContinuousClock.now
            while reading.state.withLock(\.received) == 0, ContinuousClock.now < asked + .seconds(10) {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(reading.state.withLock(\.received) > 0, "no answer came")
            try await Task.sleep(for: .seconds(3))
            try await channel.setOption(.autoRead, value: true)
            let resumed = ContinuousClock.now
            while !reading.state.withLock(\.closed), ContinuousClock.now < resumed + .seconds(10) {
                try await Task.sleep(for: .milliseconds(20))
            }
            let (received, closed) = reading.state.withLock { ($0.received, $0.closed) }
            #expect(closed, "the relay kept open a TLS connection that took nothing for 3 s (the timeout is 1 s)")
            #expect(received < Self.stalledSize, "the whole body came: the relay never waited for this client")
        }
    }

    @Test("a push connection whose client stops reading while messages are pushed is closed after the write timeout")
    func stalledPush() async throws {
        // Pings every 30 s (the default): the liveness check does not close the client within the test.
        try await withRelay(.live, configure: { $0.writeTimeout = 1 }) { relay in
            let sender = try await relay.signedIn()
            let reader = try await relay.signedIn()
            // 6 MiB of base64 waiting, pushed as soon as the reader connects.
            for _ in 0..<6 {
                let payload = b64(Data((0..<(768 << 10)).map { _ in UInt8.random(in: 0...255) }))
                let reply = try await relay.post("/v1/messages", ["message_id": UUID().uuidString, "recipients": [reader.id], "payload": payload], token: sender.token)
                #expect(reply.status == .created)
            }
            let port = try #require(relay.client.port)
            let connection = try RawConnection(port: port, receiveBuffer: Self.receiveBuffer)
            try connection.send("GET /v1/messages/ws HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAuthorization: Bearer \(reader.token)\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
            // The 101 answer and perhaps the start of the first page, then the client reads no more.
            // 2 s, for a loaded machine: at 256 bytes every 10 ms that takes at most about 50 KiB of the 6 MiB.
            let head = try await connection.readSlowly(step: 256, timeout: .seconds(2))
            #expect(String(decoding: head.data.prefix(12), as: UTF8.self) == "HTTP/1.1 101")
            func openConnections() async throws -> Double? {
                try await Scrape.take(relay).value("isnad_relay_websocket_connections")
            }
            let opened = ContinuousClock.now
            var open = try await openConnections()
            while open != 1, ContinuousClock.now < opened + .seconds(5) {
                try await Task.sleep(for: .milliseconds(10))
                open = try await openConnections()
            }
            #expect(open == 1, "the push handler never ran")
            while open != 0, ContinuousClock.now < opened + .seconds(12) {
                try await Task.sleep(for: .milliseconds(50))
                open = try await openConnections()
            }
            #expect(open == 0, "the relay kept pushing to a client that took nothing for \(ContinuousClock.now - opened) (the timeout is 1 s)")
            let end = try await connection.readSlowly(timeout: .seconds(5))
            #expect(end.closed, "the connection is still open")
            #expect(head.data.count + end.data.count < 6 * 1_048_576, "every page came: the relay never waited for this client")
        }
    }
}

/// A TLS client's reader that counts the decrypted bytes and turns reading off at the first of
/// them, so the client takes nothing more until the test turns `autoRead` back on.
final class PausingTLSReader: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    /// What the reader saw, for the test's task.
    final class Seen: Sendable {
        let state = Mutex((received: 0, closed: false))
    }

    let seen: Seen

    init(_ seen: Seen) {
        self.seen = seen
    }

    /// A TLS connection to the relay on 127.0.0.1 that trusts any certificate.
    static func connect(port: Int, receiveBuffer: Int32, seen: Seen) async throws -> any Channel {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        let context = try NIOSSLContext(configuration: configuration)
        return try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.so_rcvbuf), value: SocketOptionValue(receiveBuffer))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: nil))
                    try channel.pipeline.syncOperations.addHandler(PausingTLSReader(seen))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let count = unwrapInboundIn(data).readableBytes
        let isFirst = seen.state.withLock { state in
            state.received += count
            return state.received == count
        }
        if isFirst { try? context.channel.syncOptions?.setOption(.autoRead, value: false) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        seen.state.withLock { $0.closed = true }
        context.fireChannelInactive()
    }
}
