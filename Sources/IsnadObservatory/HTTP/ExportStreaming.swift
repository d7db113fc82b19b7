import Foundation
import Hummingbird
import NIOCore

/// Streams an export into an HTTP response as the exporter produces it. The exporters are
/// synchronous (``ExportSink``); they run on a thread of their own and hand over 64 KiB chunks
/// through a channel that holds at most ``ExportChannel/capacity`` chunks, so a slow client
/// slows the exporter instead of growing memory, and a client that goes away stops it.
public enum ExportStreaming {
    /// A response body that streams the export.
    static func body(_ export: @escaping @Sendable (inout ChunkSink) throws -> Void) -> ResponseBody {
        ResponseBody { writer in
            try await pump(export) { chunk in try await writer.write(ByteBuffer(bytes: chunk)) }
            try await writer.finish(nil)
        }
    }

    /// Runs `export` on a thread of its own and passes its output to `consume` chunk by chunk,
    /// holding at most ``ExportChannel/capacity`` chunks in between. An error of either side
    /// stops both and is rethrown.
    public static func pump(
        _ export: @escaping @Sendable (inout ChunkSink) throws -> Void, consume: ([UInt8]) async throws -> Void
    ) async throws {
        let channel = ExportChannel()
        let thread = Thread {
            var sink = ChunkSink(channel: channel)
            do {
                try export(&sink)
                try sink.flush()
                channel.finish(nil)
            } catch {
                channel.finish(error)
            }
        }
        thread.start()
        do {
            while let chunk = try await channel.next() {
                try await consume(chunk)
                channel.recycle(chunk)
            }
        } catch {
            channel.cancel()
            throw error
        }
    }

    /// The sink the exporter writes to: text gathered into chunks of about ``chunkSize`` bytes.
    public struct ChunkSink: ExportSink {
        public static let chunkSize = 64 * 1024
        let channel: ExportChannel
        var buffer: [UInt8] = []

        init(channel: ExportChannel) { self.channel = channel }

        public mutating func write(_ text: String) throws {
            buffer.append(contentsOf: text.utf8)
            if buffer.count >= Self.chunkSize { try flush() }
        }

        mutating func flush() throws {
            guard !buffer.isEmpty else { return }
            try channel.send(buffer)
            // A buffer the consumer is done with, so the same few buffers go round.
            buffer = channel.reusableBuffer()
        }
    }

    /// The stream was cancelled because the response could not be written (the client left).
    struct Cancelled: Error {}
}

/// A bounded hand-over from one producing thread to one async consumer.
final class ExportChannel: @unchecked Sendable {
    // @unchecked: every field is read and written under `condition`'s lock.
    static let capacity = 4
    private let condition = NSCondition()
    private var chunks: [[UInt8]] = []
    private var finished = false
    private var failure: (any Error)?
    private var cancelled = false
    private var waiting: CheckedContinuation<Void, Never>?
    private var mostPending = 0
    private var spare: [[UInt8]] = []

    /// Keeps a consumed chunk's storage for the producer (at most ``capacity`` + 1 kept).
    func recycle(_ chunk: [UInt8]) {
        var chunk = chunk
        chunk.removeAll(keepingCapacity: true)
        condition.lock()
        if spare.count <= Self.capacity { spare.append(chunk) }
        condition.unlock()
    }

    /// An empty buffer with room for a chunk: a recycled one when there is one.
    func reusableBuffer() -> [UInt8] {
        condition.lock()
        let recycled = spare.popLast()
        condition.unlock()
        if let recycled { return recycled }
        var fresh: [UInt8] = []
        fresh.reserveCapacity(ExportStreaming.ChunkSink.chunkSize * 2)
        return fresh
    }

    /// Chunks waiting for the consumer now, and the most there ever were (for tests).
    var pending: Int { condition.lock(); defer { condition.unlock() }; return chunks.count }
    var highWater: Int { condition.lock(); defer { condition.unlock() }; return mostPending }

    /// Blocks the producing thread while the channel is full.
    func send(_ chunk: [UInt8]) throws {
        condition.lock()
        while chunks.count >= Self.capacity && !cancelled { condition.wait() }
        if cancelled {
            condition.unlock()
            throw ExportStreaming.Cancelled()
        }
        chunks.append(chunk)
        mostPending = max(mostPending, chunks.count)
        let consumer = waiting
        waiting = nil
        condition.unlock()
        consumer?.resume()
    }

    func finish(_ error: (any Error)?) {
        condition.lock()
        finished = true
        failure = error
        let consumer = waiting
        waiting = nil
        condition.unlock()
        consumer?.resume()
    }

    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next chunk, `nil` at the end; rethrows the exporter's error.
    func next() async throws -> [UInt8]? {
        while true {
            if let ready = take() { return try ready.get() }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in park(continuation) }
        }
    }

    /// A chunk, the end, or `nil` when nothing is there yet.
    private func take() -> Result<[UInt8]?, any Error>? {
        condition.lock()
        defer { condition.unlock() }
        if !chunks.isEmpty {
            condition.signal()
            return .success(chunks.removeFirst())
        }
        guard finished else { return nil }
        return failure.map { .failure($0) } ?? .success(nil)
    }

    /// Resumes at once if something arrived meanwhile, else when `send` or `finish` does.
    private func park(_ continuation: CheckedContinuation<Void, Never>) {
        condition.lock()
        if !chunks.isEmpty || finished {
            condition.unlock()
            continuation.resume()
        } else {
            waiting = continuation
            condition.unlock()
        }
    }
}
