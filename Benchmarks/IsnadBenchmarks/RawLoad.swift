// The relay benchmark's load: a lean HTTP/1.1 client written for it on SwiftNIO.
//
// The load generator shares this machine's two cores with the server it measures, so whatever
// CPU it takes is taken from the server. AsyncHTTPClient, which drove the loads before, took 80-95
// µs of CPU per request (as much as the hello-world server itself), and in the open loop of
// figure 2 the generator (client, timers, a task per message, the push receiver's JSON) took 0.77
// of the two cores at 4,500 messages a second: the latency was measured on a machine 80% busy
// instead of half. This client writes each request's bytes as given and reads each answer only as
// far as its status code and the end of its body, on the connection's event loop, with no task
// per request.
//
// Each connection is keep-alive with one request in flight at a time (no pipelining), as a
// device's connection is. Answers must carry Content-Length (Hummingbird's fixed bodies do); one
// without it fails the run.
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// Reads HTTP/1.1 answers from the bytes received: each one's status code, its end found by
/// Content-Length.
struct AnswerReader {
    private var buffer = ByteBuffer()

    mutating func append(_ bytes: inout ByteBuffer) {
        if buffer.readableBytes == 0 { buffer.clear() }
        buffer.writeBuffer(&bytes)
    }

    /// The next whole answer's status code (the answer is consumed), or nil until one has come.
    mutating func next() throws -> Int? {
        let answer: (status: Int, length: Int)? = try buffer.withUnsafeReadableBytes { bytes in
            guard let headEnd = Self.headEnd(bytes) else { return nil }
            // "HTTP/1.1 201 Created\r\n..."
            guard headEnd >= 16, bytes[8] == UInt8(ascii: " "), let status = Self.number(bytes, from: 9, to: 12) else {
                throw BenchmarkFailure("an answer did not start with an HTTP/1.1 status line")
            }
            guard let length = Self.contentLength(bytes, headEnd: headEnd) else {
                throw BenchmarkFailure("an answer (status \(status)) had no Content-Length")
            }
            return bytes.count >= headEnd + length ? (status, headEnd + length) : nil
        }
        guard let answer else { return nil }
        buffer.moveReaderIndex(forwardBy: answer.length)
        return answer.status
    }

    /// The offset just past the blank line that ends the head, if it has come.
    private static func headEnd(_ bytes: UnsafeRawBufferPointer) -> Int? {
        var index = 3
        while index < bytes.count {
            if bytes[index] == 10, bytes[index - 1] == 13, bytes[index - 2] == 10, bytes[index - 3] == 13 { return index + 1 }
            index += 1
        }
        return nil
    }

    private static let contentLengthName = Array("content-length:".utf8)

    /// The value of the head's Content-Length field (its name in any case).
    private static func contentLength(_ bytes: UnsafeRawBufferPointer, headEnd: Int) -> Int? {
        var lineStart = 0
        while lineStart < headEnd {
            var lineEnd = lineStart
            while lineEnd < headEnd, bytes[lineEnd] != 13 { lineEnd += 1 }
            // Every byte of the name has the 0x20 bit set, so OR-ing it in lower-cases the letters.
            if lineEnd - lineStart > contentLengthName.count,
               contentLengthName.indices.allSatisfy({ bytes[lineStart + $0] | 0x20 == contentLengthName[$0] }) {
                var start = lineStart + contentLengthName.count
                while start < lineEnd, bytes[start] == UInt8(ascii: " ") { start += 1 }
                return number(bytes, from: start, to: lineEnd)
            }
            lineStart = lineEnd + 2
        }
        return nil
    }

    /// The decimal number in bytes[from..<to], if they are all digits.
    private static func number(_ bytes: UnsafeRawBufferPointer, from: Int, to: Int) -> Int? {
        guard from < to, to <= bytes.count else { return nil }
        var value = 0
        for index in from..<to {
            let digit = Int(bytes[index]) - 48
            guard (0...9).contains(digit) else { return nil }
            value = value * 10 + digit
        }
        return value
    }
}

/// The bytes of a `POST /v1/messages` with a fresh message ID each time and a fixed payload, as
/// the closed loop sends them.
struct MessageRequest: Sendable {
    private let head: [UInt8], tail: [UInt8]

    init(port: Int, token: String?, recipient: String, payload: String) {
        let tail = #"","recipients":["\#(recipient)"],"payload":"\#(payload)"}"#
        let bodyLength = #"{"message_id":""#.utf8.count + 36 + tail.utf8.count
        head = Array((Self.head(port: port, token: token, bodyLength: bodyLength) + #"{"message_id":""#).utf8)
        self.tail = Array(tail.utf8)
    }

    func make(_ allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: head.count + 36 + tail.count)
        buffer.writeBytes(head)
        buffer.writeString(UUID().uuidString)
        buffer.writeBytes(tail)
        return buffer
    }

    /// A whole request for `body` (the open loop's bodies are made before its clock starts).
    static func whole(port: Int, token: String?, body: Data) -> ByteBuffer {
        var buffer = ByteBuffer(string: head(port: port, token: token, bodyLength: body.count))
        buffer.writeBytes(body)
        return buffer
    }

    private static func head(port: Int, token: String?, bodyLength: Int) -> String {
        "POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"
            + (token.map { "Authorization: Bearer \($0)\r\n" } ?? "")
            + "Content-Type: application/json\r\nContent-Length: \(bodyLength)\r\n\r\n"
    }
}

/// A closed loop's connection: once `start` gives the deadline, sends a request, reads its
/// answer, sends the next, until the deadline; then completes `done` with its counts of 201s and
/// of other answers.
final class ClosedLoopConnection: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let request: MessageRequest
    private let start: EventLoopFuture<NIODeadline>
    private var deadline = NIODeadline.distantFuture
    private let done: EventLoopPromise<(accepted: Int, failures: Int)>
    private var reader = AnswerReader()
    private var accepted = 0, failures = 0, finished = false

    init(request: MessageRequest, start: EventLoopFuture<NIODeadline>, done: EventLoopPromise<(accepted: Int, failures: Int)>) {
        self.request = request
        self.start = start
        self.done = done
    }

    func channelActive(context: ChannelHandlerContext) {
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        start.hop(to: context.eventLoop).whenSuccess { deadline in
            let (handler, context) = bound.value
            handler.deadline = deadline
            handler.send(context)
        }
        context.fireChannelActive()
    }

    private func send(_ context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(request.make(context.channel.allocator)), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        reader.append(&bytes)
        do {
            while let status = try reader.next() {
                if status == 201 { accepted += 1 } else { failures += 1 }
                if NIODeadline.now() < deadline { send(context) } else { finish(.success((accepted, failures))) }
            }
        } catch {
            finish(.failure(error))
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        finish(.failure(error))
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(.failure(BenchmarkFailure("the server closed a connection during the closed loop")))
    }

    private func finish(_ result: Result<(accepted: Int, failures: Int), Error>) {
        guard !finished else { return }
        finished = true
        done.completeWith(result)
    }
}

/// An open loop on one event loop: requests sent on a schedule over a set of keep-alive
/// connections, each request on a connection with nothing in flight (a request whose time has come
/// while every connection is busy waits, and its lateness is recorded).
final class OpenLoop {
    private let loop: EventLoop
    private let requests: [ByteBuffer]
    private let interval: Double
    private var next = 0
    private var idle: [OpenLoopConnection] = []
    private var timer: Scheduled<Void>?
    private var answered = 0
    private let done: EventLoopPromise<Void>
    /// Per request, in monotonic nanoseconds (0 until it happens).
    private(set) var sentAt: [UInt64], answeredAt: [UInt64], dueAt: [UInt64]
    private(set) var failures = 0

    init(loop: EventLoop, requests: [ByteBuffer], rate: Double) {
        self.loop = loop
        self.requests = requests
        interval = 1e9 / rate
        sentAt = Array(repeating: 0, count: requests.count)
        answeredAt = sentAt
        dueAt = sentAt
        done = loop.makePromise()
    }

    /// Adds a connection (on `loop`).
    func add(_ connection: OpenLoopConnection) { idle.append(connection) }

    /// Starts the schedule now; the future completes when every request has been answered.
    func start() -> EventLoopFuture<Void> {
        let start = DispatchTime.now().uptimeNanoseconds
        for index in requests.indices { dueAt[index] = start + UInt64(Double(index) * interval) }
        pump()
        return done.futureResult
    }

    /// Sends every request whose time has come, while a connection is free; then sets the timer
    /// for the next one.
    private func pump() {
        timer?.cancel()
        timer = nil
        var now = DispatchTime.now().uptimeNanoseconds
        while next < requests.count, dueAt[next] <= now, let connection = idle.popLast() {
            sentAt[next] = now
            connection.send(requests[next], sequence: next)
            next += 1
            now = DispatchTime.now().uptimeNanoseconds
        }
        if next < requests.count, !idle.isEmpty {
            timer = loop.assumeIsolated().scheduleTask(deadline: .uptimeNanoseconds(dueAt[next])) { [self] in pump() }
        }
    }

    func answer(_ sequence: Int, status: Int, on connection: OpenLoopConnection) {
        answeredAt[sequence] = DispatchTime.now().uptimeNanoseconds
        if status != 201 { failures += 1 }
        answered += 1
        idle.append(connection)
        if answered == requests.count { done.succeed() } else { pump() }
    }

    func fail(_ error: Error) { done.fail(error) }
}

/// One connection of an ``OpenLoop``.
final class OpenLoopConnection: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var owner: OpenLoop?
    private var context: ChannelHandlerContext?
    private var reader = AnswerReader()
    private var inFlight: Int?

    init(owner: OpenLoop) { self.owner = owner }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        owner = nil
    }

    func send(_ request: ByteBuffer, sequence: Int) {
        inFlight = sequence
        context?.writeAndFlush(wrapOutboundOut(request), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        reader.append(&bytes)
        do {
            while let status = try reader.next() {
                guard let sequence = inFlight else { throw BenchmarkFailure("an answer came with no request in flight") }
                inFlight = nil
                owner?.answer(sequence, status: status, on: self)
            }
        } catch {
            owner?.fail(error)
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if inFlight != nil { owner?.fail(BenchmarkFailure("the server closed a connection with a request in flight")) }
    }
}

/// Runs the loads over fresh connections to 127.0.0.1.
struct RawLoad: Sendable {
    let group: MultiThreadedEventLoopGroup = .singleton

    fileprivate func connect(port: Int, on loop: EventLoop, _ handler: @escaping @Sendable (Channel) throws -> Void) async throws -> Channel {
        try await ClientBootstrap(group: loop)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try handler(channel) }
            }
            .connect(host: "127.0.0.1", port: port).get()
    }

    /// Closed loop: `workers` connections, spread over the event loops, each posting a fresh
    /// message, waiting for the answer and posting again, for `length` seconds from when all are
    /// connected. The rate of 201s, and the number of other answers.
    func closedLoop(port: Int, request: MessageRequest, workers: Int, seconds length: Double) async throws -> (rate: Double, failures: Int) {
        let starter = group.next().makePromise(of: NIODeadline.self)
        var channels: [Channel] = [], promises: [EventLoopPromise<(accepted: Int, failures: Int)>] = []
        defer { for channel in channels { channel.close(promise: nil) } }
        do {
            for _ in 0..<workers {
                let loop = group.next()
                let done = loop.makePromise(of: (accepted: Int, failures: Int).self)
                promises.append(done)
                channels.append(try await connect(port: port, on: loop) { channel in
                    try channel.pipeline.syncOperations.addHandler(
                        ClosedLoopConnection(request: request, start: starter.futureResult, done: done))
                })
            }
        } catch {
            // A promise completed once already ignores this.
            starter.fail(error)
            for done in promises { done.fail(error) }
            throw error
        }
        let results = promises.map(\.futureResult)
        let start = seconds()
        starter.succeed(.now() + .nanoseconds(Int64(length * 1e9)))
        var accepted = 0, failures = 0
        for result in results {
            let counts = try await result.get()
            accepted += counts.accepted
            failures += counts.failures
        }
        return (Double(accepted) / (seconds() - start), failures)
    }
}

extension RawLoad {
    /// Open loop: `requests` sent at `rate` a second, in order, over `connections` keep-alive
    /// connections on one event loop. Per request, in monotonic nanoseconds: when it was due, when
    /// it was sent and when its answer came; and the number of answers other than 201.
    func openLoop(port: Int, requests: [ByteBuffer], rate: Double, connections: Int) async throws
        -> (due: [UInt64], sent: [UInt64], answered: [UInt64], failures: Int) {
        let loop = group.next()
        let driver = try await loop.submit { NIOLoopBound(OpenLoop(loop: loop, requests: requests, rate: rate), eventLoop: loop) }.get()
        var channels: [Channel] = []
        defer { for channel in channels { channel.close(promise: nil) } }
        for _ in 0..<connections {
            channels.append(try await connect(port: port, on: loop) { channel in
                let connection = OpenLoopConnection(owner: driver.value)
                try channel.pipeline.syncOperations.addHandler(connection)
                driver.value.add(connection)
            })
        }
        try await loop.flatSubmit { driver.value.start() }.get()
        return try await loop.submit {
            let run = driver.value
            return (run.dueAt, run.sentAt, run.answeredAt, run.failures)
        }.get()
    }
}

/// A device's push WebSocket, read on its event loop: each text message's sequence numbers
/// (``sequences(inPage:)``) and when it arrived, with no task per frame. `done` succeeds once
/// `expected` have come, and fails if the relay closes the socket first.
final class PushFrames: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private var text = ByteBuffer()
    private(set) var arrivals: [(sequence: UInt64, at: UInt64)] = []
    private let expected: Int
    let done: EventLoopPromise<Void>

    init(expected: Int, done: EventLoopPromise<Void>) {
        self.expected = expected
        self.done = done
        arrivals.reserveCapacity(expected)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text, .continuation:
            var data = frame.unmaskedData
            text.writeBuffer(&data)
            guard frame.fin else { return }
            let now = DispatchTime.now().uptimeNanoseconds
            for sequence in sequences(inPage: String(buffer: text)) { arrivals.append((sequence, now)) }
            text.clear()
            if arrivals.count >= expected { done.succeed() }
        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.unmaskedData)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        case .connectionClose:
            done.fail(BenchmarkFailure("the relay closed the push WebSocket"))
        default:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        done.fail(BenchmarkFailure("the push WebSocket closed"))
    }

    private var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    /// Sends a close frame (1000, normal closure) and closes the connection.
    func close() {
        guard let context else { return }
        var code = context.channel.allocator.buffer(capacity: 2)
        code.writeInteger(UInt16(1000))
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: code)), promise: nil)
        context.close(promise: nil)
    }
}

extension RawLoad {
    /// A device's push WebSocket: `GET /v1/messages/ws` with its bearer token, upgraded by NIO's
    /// own client upgrader, read by ``PushFrames`` (on the returned loop).
    func pushes(port: Int, token: String, expected: Int) async throws -> (loop: EventLoop, reader: NIOLoopBound<PushFrames>) {
        let loop = group.next()
        let upgraded: EventLoopFuture<NIOLoopBound<PushFrames>?> = try await ClientBootstrap(group: loop)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let upgrader = NIOTypedWebSocketClientUpgrader<NIOLoopBound<PushFrames>?>(maxFrameSize: 16 << 20) { channel, _ in
                        channel.eventLoop.makeCompletedFuture {
                            let reader = PushFrames(expected: expected, done: channel.eventLoop.makePromise())
                            try channel.pipeline.syncOperations.addHandler(reader)
                            return NIOLoopBound(reader, eventLoop: channel.eventLoop)
                        }
                    }
                    let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/v1/messages/ws", headers: [
                        "Host": "127.0.0.1:\(port)", "Authorization": "Bearer \(token)", "Content-Length": "0",
                    ])
                    let configuration = NIOTypedHTTPClientUpgradeConfiguration<NIOLoopBound<PushFrames>?>(
                        upgradeRequestHead: head, upgraders: [upgrader],
                        notUpgradingCompletionHandler: { channel in channel.eventLoop.makeSucceededFuture(nil) })
                    return try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(
                        configuration: .init(upgradeConfiguration: configuration))
                }
            }
        guard let reader = try await upgraded.get() else { throw BenchmarkFailure("the relay refused the push WebSocket upgrade") }
        return (loop, reader)
    }
}
