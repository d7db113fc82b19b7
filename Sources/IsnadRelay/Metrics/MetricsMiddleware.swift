import Hummingbird

/// Counts every answered request by route template and status class. It runs outside
/// ``ProblemMiddleware``, so it sees the status a client actually received.
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = RelayRequestContext
    let metrics: RelayMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // The template, never the concrete path: paths hold group IDs. Unmatched paths share one label.
        let route = context.endpointPath
        do {
            let response = try await next(request, context)
            metrics.countRequest(endpointPath: route, status: response.status.code)
            return response
        } catch let error as any HTTPResponseError {
            metrics.countRequest(endpointPath: route, status: error.status.code)
            throw error
        } catch {
            metrics.countRequest(endpointPath: route, status: 500)
            throw error
        }
    }

    /// `v1/groups/:group_id/commits` as the OpenAPI document writes it: `/v1/groups/{group_id}/commits`.
    static func template(_ endpointPath: String) -> String {
        "/" + endpointPath.split(separator: "/").map { segment in
            segment.hasPrefix(":") ? "{\(segment.dropFirst())}" : String(segment)
        }.joined(separator: "/")
    }
}
