import Foundation
import Hummingbird
import IsnadStore

/// The KeyPackage directory (RFC 9420 §10): upload, claim, count. All need a bearer token.
struct KeyPackageRoutes {
    struct Upload: Decodable {
        var keyPackages: [Base64URL]
        /// A last-resort KeyPackage (RFC 9420 §16.8), replacing any previous one.
        var lastResort: Base64URL?
        enum CodingKeys: String, CodingKey { case keyPackages = "key_packages", lastResort = "last_resort" }
    }

    struct Count: Encodable {
        var available: Int
        var hasLastResort: Bool
        enum CodingKeys: String, CodingKey { case available, hasLastResort = "has_last_resort" }

        init(_ count: KeyPackageCount) {
            available = count.available
            hasLastResort = count.hasLastResort
        }
    }

    struct ClaimRequest: Decodable {
        var identityKey: Base64URL
        enum CodingKeys: String, CodingKey { case identityKey = "identity_key" }
    }

    struct Claimed: Encodable {
        struct Entry: Encodable {
            var deviceID: String
            var keyPackage: Base64URL
            var isLastResort: Bool
            enum CodingKeys: String, CodingKey { case deviceID = "device_id", keyPackage = "key_package", isLastResort = "last_resort" }
        }
        var keyPackages: [Entry]
        enum CodingKeys: String, CodingKey { case keyPackages = "key_packages" }
    }

    let dependencies: RelayDependencies

    func register(on group: RouterGroup<RelayRequestContext>) {
        group.post("keypackages", use: upload)
        group.post("keypackages/claim", use: claim)
        group.get("keypackages/count", use: count)
    }

    @Sendable func upload(_ request: Request, context: RelayRequestContext) async throws -> Response {
        let device = try context.requireDevice()
        let configuration = dependencies.configuration
        let body = try await JSONBody.decode(Upload.self, from: request, limit: configuration.maxRequestBodySize)
        guard body.keyPackages.count <= configuration.maxKeyPackagesPerUpload else {
            throw RelayError(.malformedRequest, "`key_packages` holds more than \(configuration.maxKeyPackagesPerUpload) KeyPackages.")
        }
        var uploads = try body.keyPackages.enumerated().map {
            KeyPackageUpload(bytes: try WireParsing.bytes($1, field: "key_packages[\($0)]", max: configuration.maxKeyPackageSize))
        }
        if let lastResort = body.lastResort {
            uploads.append(KeyPackageUpload(bytes: try WireParsing.bytes(lastResort, field: "last_resort", max: configuration.maxKeyPackageSize), isLastResort: true))
        }
        guard !uploads.isEmpty else {
            throw RelayError(.malformedRequest, "The upload holds no KeyPackage.")
        }
        let count = try await dependencies.store.uploadKeyPackages(uploads, for: device, now: dependencies.now())
        return try JSONBody.response(Count(count))
    }

    /// One KeyPackage for each device of the identity; 404 when the identity is unknown or has none left.
    @Sendable func claim(_ request: Request, context: RelayRequestContext) async throws -> Response {
        _ = try context.requireDevice()
        let body = try await JSONBody.decode(ClaimRequest.self, from: request, limit: 1024)
        let identityKey = try WireParsing.publicKey(body.identityKey, field: "identity_key")
        let claimed = try await dependencies.store.claimKeyPackages(ofIdentity: identityKey)
        guard !claimed.isEmpty else {
            if try await dependencies.store.devices(ofIdentity: identityKey).isEmpty {
                throw RelayError(.unknownIdentity, "No account has this identity key.")
            }
            throw RelayError(.noKeyPackage, "This identity has no KeyPackage left; its devices must upload more.")
        }
        return try JSONBody.response(Claimed(keyPackages: claimed.map {
            .init(deviceID: $0.device.description, keyPackage: Base64URL($0.bytes), isLastResort: $0.isLastResort)
        }))
    }

    @Sendable func count(_ request: Request, context: RelayRequestContext) async throws -> Response {
        let device = try context.requireDevice()
        return try JSONBody.response(Count(try await dependencies.store.keyPackageCount(for: device)))
    }
}
