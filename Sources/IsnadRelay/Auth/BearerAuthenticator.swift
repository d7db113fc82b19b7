import Crypto
import Foundation
import Hummingbird
import IsnadStore

/// Resolves `Authorization: Bearer <token>` to a device, or answers 401.
///
/// Tokens are 32 random bytes in base64url; the store holds only their SHA-256.
struct BearerAuthenticator: RouterMiddleware {
    typealias Context = RelayRequestContext
    let dependencies: RelayDependencies

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers.value(.authorization), header.hasASCIIPrefixIgnoringCase("bearer "),
              let token = Base64URL(text: header, from: 7), token.data.count == AuthRoutes.tokenSize
        else {
            throw RelayError(.unauthorized, "Send `Authorization: Bearer <token>` with a token from POST /v1/auth/token.")
        }
        let digest = Data(SHA256.hash(data: token.data))
        guard let device = try await dependencies.store.device(forTokenDigest: digest, now: dependencies.now()) else {
            throw RelayError(.unauthorized, "The bearer token is unknown or expired; get a new one from POST /v1/auth/token.")
        }
        var context = context
        context.device = device
        return try await next(request, context)
    }
}
