import Foundation
import HTTPTypes
import Hummingbird
import IsnadStore
import Logging
import NIOCore

/// The one place where errors become HTTP responses: every error thrown by a route, by
/// Hummingbird or by the store leaves as an RFC 9457 `application/problem+json` body.
///
/// Peer mistakes are 4xx; only a bug or an unreachable store is 5xx, and those are logged
/// (without identifiers: errors carry none in their descriptions).
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = RelayRequestContext
    let logger: Logger
    let metrics: RelayMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let relayError = Self.relayError(for: error)
            let status = Self.status(for: relayError.code)
            metrics.countProblem(relayError.code)
            if status.code >= 500 {
                // `error` means a bug; an unreachable store is an operations matter.
                let level: Logger.Level = status == .serviceUnavailable ? .warning : .error
                logger.log(level: level, "request failed", metadata: [
                    "code": "\(relayError.code)", "error": "\(relayError.underlying.map { "\($0)" } ?? relayError.message)",
                ])
            }
            return Self.response(for: relayError, status: status)
        }
    }

    /// Every error as a ``RelayError``.
    static func relayError(for error: any Error) -> RelayError {
        switch error {
        case let error as RelayError:
            return error
        case let error as StoreError:
            switch error.code {
            case .conflict: return RelayError(.alreadyRegistered, "The identity key or the device key is already registered.", underlying: error)
            case .unknownDevice: return RelayError(.unknownDevice, "A named device does not exist.", underlying: error)
            case .unknownIdentity: return RelayError(.unknownIdentity, "No account has this identity key.", underlying: error)
            case .unknownAttachment: return RelayError(.unknownAttachment, "No attachment has this ID (or it expired).", underlying: error)
            case .messageIDReused: return RelayError(.messageIDReused, "This message ID was already used for a different submission; choose a new one.", underlying: error)
            case .invalidArgument: return RelayError(.malformedRequest, error.message, underlying: error)
            case .unavailable: return RelayError(.unavailable, "The relay's storage is unavailable; retry later.", underlying: error)
            default: return RelayError(.internal, "The relay failed; this is a bug.", underlying: error)
            }
        case is NIOTooManyBytesError:
            return RelayError(.requestTooLarge, "The request body is larger than this relay accepts.", underlying: error)
        case let error as any HTTPResponseError:
            switch error.status {
            case .notFound: return RelayError(.notFound, "No route matches this method and path.", underlying: error)
            case .contentTooLarge: return RelayError(.requestTooLarge, "The request body is larger than this relay accepts.", underlying: error)
            case let status where (400..<500).contains(status.code):
                return RelayError(.malformedRequest, "The request is malformed (\(status.reasonPhrase)).", underlying: error)
            default: return RelayError(.internal, "The relay failed; this is a bug.", underlying: error)
            }
        default:
            return RelayError(.internal, "The relay failed; this is a bug.", underlying: error)
        }
    }

    /// The HTTP status of each kind of failure.
    static func status(for code: RelayError.Code) -> HTTPResponse.Status {
        switch code {
        case .malformedRequest, .malformedMLS, .mlsHeaderMismatch: .badRequest
        case .requestTooLarge: .contentTooLarge
        case .invalidSignature, .unauthorized: .unauthorized
        case .unknownIdentity, .noKeyPackage, .notFound, .unknownAttachment: .notFound
        case .unknownDevice, .messageIDReused, .attachmentHashMismatch: .unprocessableContent
        case .alreadyRegistered, .epochConflict, .attachmentConflict, .offsetMismatch, .attachmentIncomplete,
             .deviceLimit, .lastDevice: .conflict
        case .rangeNotSatisfiable: .rangeNotSatisfiable
        case .rateLimited: .tooManyRequests
        case .unavailable: .serviceUnavailable
        default: .internalServerError
        }
    }

    static func response(for error: RelayError, status: HTTPResponse.Status) -> Response {
        let problem = ProblemDetails(
            type: "urn:isnad:problem:\(error.code.rawValue)", title: status.reasonPhrase, status: status.code,
            detail: error.message, code: error.code.rawValue, currentEpoch: error.currentEpoch,
            received: error.received)
        var headers: HTTPFields = [.contentType: ProblemDetails.mediaType]
        if status == .unauthorized {
            headers[.wwwAuthenticate] = "Bearer"
        }
        if status == .serviceUnavailable {
            headers[.retryAfter] = "1"
        }
        if let retryAfter = error.retryAfter {
            headers[.retryAfter] = String(Int(min(86400, retryAfter.rounded(.up))))
        }
        if status == .rangeNotSatisfiable, let length = error.completeLength {
            // RFC 9110 §15.5.17: a 416 names the representation's length, so the client can ask again.
            headers[.contentRange] = "bytes */\(length)"
        }
        let body = (try? JSONBody.encoder.encode(problem)) ?? Data(#"{"title":"Internal Server Error","status":500}"#.utf8)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
