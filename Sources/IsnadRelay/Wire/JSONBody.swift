import Foundation
import HTTPTypes
import Hummingbird
import IsnadWire
import NIOCore

/// Reading and writing the relay's JSON bodies, with the size limit and error messages that
/// turn any malformed body into a 400 problem naming the field at fault.
enum JSONBody {
    static let encoder = RelayJSON.makeEncoder()

    /// Reads at most `limit` bytes of body and decodes them.
    /// - Throws: ``RelayError`` with ``RelayError/Code/requestTooLarge`` or ``RelayError/Code/malformedRequest``.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T {
        try decode(type, from: try await read(request, limit: limit))
    }

    /// The body of a JSON request, at most `limit` bytes.
    /// - Throws: ``RelayError`` with ``RelayError/Code/requestTooLarge``, or with
    ///   ``RelayError/Code/malformedRequest`` for a content type other than JSON.
    static func read(_ request: Request, limit: Int) async throws -> ByteBuffer {
        let buffer = try await collect(request, limit: limit, tooLarge: "The request body is larger than \(limit) bytes.")
        if let contentType = request.headers.value(.contentType), !contentType.hasASCIIPrefixIgnoringCase("application/json") {
            throw RelayError(.malformedRequest, "The body must be application/json.")
        }
        return buffer
    }

    /// Decodes a body read by ``read(_:limit:)``.
    /// - Throws: ``RelayError`` with ``RelayError/Code/malformedRequest``, naming the field at fault.
    static func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw RelayError(.malformedRequest, describe(error), underlying: error)
        } catch {
            throw RelayError(.malformedRequest, "The body is not valid JSON.", underlying: error)
        }
    }

    /// The whole body, at most `limit` bytes.
    /// - Throws: ``RelayError`` with ``RelayError/Code/requestTooLarge`` and `tooLarge` as its message.
    static func collect(_ request: Request, limit: Int, tooLarge: String) async throws -> ByteBuffer {
        var request = request
        do {
            return try await request.collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw RelayError(.requestTooLarge, tooLarge)
        }
    }

    /// A JSON response.
    static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        response(ByteBuffer(bytes: try encoder.encode(value)), status: status)
    }

    /// A JSON response whose body is already written (the hand-written answers of the busiest routes).
    static func response(_ json: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: json))
    }

    /// Says which field is wrong, without quoting the value sent.
    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            let text = codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.isEmpty ? "the body" : "`\(text.dropFirst(text.hasPrefix(".") ? 1 : 0))`"
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "The field `\(key.stringValue)` is missing from \(path(context.codingPath))."
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context.codingPath)) has the wrong type."
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "The body is not valid JSON." }
            return "\(path(context.codingPath)) is not valid: \(context.debugDescription)."
        @unknown default:
            return "The body does not match the API."
        }
    }
}
