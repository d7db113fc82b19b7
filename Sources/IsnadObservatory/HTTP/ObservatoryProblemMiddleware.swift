import Foundation
import HTTPTypes
import Hummingbird
import IsnadStore
import Logging
import NIOCore

/// The one place where the observatory's errors become RFC 9457 `application/problem+json`
/// responses (`type` is `urn:isnad:problem:<code>`, as the relay's). Peer mistakes are 4xx.
struct ObservatoryProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = Self.observatoryError(for: error)
            if problem.status.code >= 500 {
                logger.log(level: problem.status == .serviceUnavailable ? .warning : .error, "observatory request failed", metadata: [
                    "code": "\(problem.code)", "error": "\(problem.underlying.map { "\($0)" } ?? problem.message)",
                ])
            }
            return Self.response(for: problem)
        }
    }

    static func observatoryError(for error: any Error) -> ObservatoryError {
        switch error {
        case let error as ObservatoryError:
            return error
        case let error as StoreError where error.code == .unavailable:
            return ObservatoryError(.unavailable, "The observatory's storage is unavailable; retry later.", underlying: error)
        case is NIOTooManyBytesError:
            return ObservatoryError(.requestTooLarge, "The request body is larger than the observatory accepts.", underlying: error)
        case let error as any HTTPResponseError where error.status == .notFound:
            return ObservatoryError(.notFound, "No route matches this method and path.", underlying: error)
        case let error as any HTTPResponseError where (400..<500).contains(error.status.code):
            return ObservatoryError(.malformedRequest, "The request is malformed (\(error.status.reasonPhrase)).", underlying: error)
        default:
            return ObservatoryError(.internal, "The observatory failed; this is a bug.", underlying: error)
        }
    }

    static func response(for error: ObservatoryError) -> Response {
        let status = error.status
        let body: [String: Any] = [
            "type": "urn:isnad:problem:\(error.code.rawValue)", "title": status.reasonPhrase, "status": status.code,
            "detail": error.message, "code": error.code.rawValue,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data(#"{"title":"Internal Server Error","status":500}"#.utf8)
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if status == .serviceUnavailable { headers[.retryAfter] = "1" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
