import Foundation
import HTTPTypes
import HummingbirdWSClient
import Logging

/// The relay's WebSocket push (`GET /v1/messages/ws`): each text frame is a page of new
/// messages. The client uses it only as a wake-up: it then fetches, processes and acknowledges
/// through the same path as `sync`, so pushed and fetched messages are handled alike.
extension RelayClient {
    /// Connects and calls `wake` for every page the relay pushes, until the connection ends or
    /// the task is cancelled.
    func watch(_ wake: @escaping @Sendable () -> Void) async throws {
        guard let token = currentToken else { throw ClientError(.invalidRequest, "Log in to the relay before watching it.") }
        let url = baseURL.replacingOccurrences(of: "http://", with: "ws://").replacingOccurrences(of: "https://", with: "wss://")
            + "/v1/messages/ws?after=0"
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(token)"
        do {
            try await WebSocketClient.connect(url: url, configuration: .init(maxFrameSize: 8 << 20, additionalHeaders: headers),
                                              logger: Logger(label: "isnad.client.push")) { inbound, _, _ in
                for try await _ in inbound.messages(maxSize: 8 << 20) { wake() }
            }
        } catch is CancellationError {
            return
        } catch {
            throw ClientError(.relayUnavailable, "The connection to the relay at \(baseURL) was lost; try again when it is up.")
        }
    }
}
