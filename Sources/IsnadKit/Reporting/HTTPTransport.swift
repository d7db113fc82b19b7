import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends one HTTP request; the client's seam for another HTTP stack (or a relay tunnel).
public protocol HTTPTransport: Sendable {
    /// Sends a request and returns the status and body.
    /// - Throws: any error when no answer arrives (it is reported as ``ReportingError/Code/unreachable``).
    func send(method: String, url: URL, body: Data?, contentType: String?) async throws -> (status: Int, body: Data)
}

/// ``HTTPTransport`` over Foundation's `URLSession`, with short timeouts.
public struct URLSessionTransport: HTTPTransport {
    let session: URLSession

    /// Creates a transport with an ephemeral session (no cookies, no cache on disk).
    public init(timeout: TimeInterval = 30) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout * 2
        configuration.urlCache = nil
        session = URLSession(configuration: configuration)
    }

    public func send(method: String, url: URL, body: Data?, contentType: String?) async throws -> (status: Int, body: Data) {
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.httpBody = body
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        let session = self.session
        let (data, response): (Data, URLResponse) = try await withCheckedThrowingContinuation { continuation in
            session.dataTask(with: request) { data, response, error in
                if let response {
                    continuation.resume(returning: (data ?? Data(), response))
                } else {
                    continuation.resume(throwing: error ?? URLError(.badServerResponse))
                }
            }.resume()
        }
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }
}
