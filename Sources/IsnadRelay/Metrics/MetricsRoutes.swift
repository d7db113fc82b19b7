import Hummingbird
import NIOCore

/// `GET /metrics`: the Prometheus text exposition format (version 0.0.4).
struct MetricsRoutes {
    let metrics: RelayMetrics

    func register(on router: Router<RelayRequestContext>) {
        router.get("metrics") { _, _ in
            var buffer: [UInt8] = []
            metrics.registry.emit(into: &buffer)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
        }
    }
}
