import Foundation
import HummingbirdTesting
import IsnadRelay
import IsnadStore
import NIOCore
import NIOSSL
import Testing

/// A self-signed certificate for `localhost`, made by the machine's openssl at test time.
struct SelfSignedCertificate {
    static let openssl = ["/usr/bin/openssl", "/usr/local/bin/openssl"].first { FileManager.default.isExecutableFile(atPath: $0) }

    let certificatePath: String
    let privateKeyPath: String

    init(in folder: URL) throws {
        let openssl = try #require(Self.openssl)
        certificatePath = folder.appendingPathComponent("cert.pem").path
        privateKeyPath = folder.appendingPathComponent("key.pem").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: openssl)
        process.arguments = [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", privateKeyPath, "-out", certificatePath, "-days", "1",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "openssl req failed")
    }
}

@Suite("TLS")
struct TLSTests {
    @Test(
        "with --tls-cert and --tls-key the relay serves /healthz over TLS to a client that trusts the certificate",
        .enabled(if: SelfSignedCertificate.openssl != nil, "openssl is not on this machine, so no test certificate can be made")
    )
    func healthzOverTLS() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("isnad-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let certificate = try SelfSignedCertificate(in: folder)

        var configuration = RelayConfiguration()
        configuration.port = 0
        configuration.tls = try RelayTLS.configuration(certificatePath: certificate.certificatePath, privateKeyPath: certificate.privateKeyPath)
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let app = try Relay.makeApplication(configuration: configuration, store: InMemoryRelayStore(), onServerRunning: { channel in
            portContinuation.yield(channel.localAddress?.port ?? 0)
        })
        var trusting = TLSConfiguration.makeClientConfiguration()
        trusting.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(certificate.certificatePath))
        let untrusting = TLSConfiguration.makeClientConfiguration()   // the system roots only

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            let answer = try await TestClient.withClient(
                host: "127.0.0.1", port: port, configuration: .init(tlsConfiguration: trusting, timeout: .seconds(5), serverName: "localhost")
            ) { client in
                try await client.get("/healthz")
            }
            #expect(answer.status == .ok)
            #expect(answer.body.map { String(buffer: $0) } == #"{"status":"ok"}"#)

            // The same server refuses a client that does not trust the certificate: it is really TLS.
            await #expect(throws: (any Error).self) {
                _ = try await TestClient.withClient(
                    host: "127.0.0.1", port: port, configuration: .init(tlsConfiguration: untrusting, timeout: .seconds(5), serverName: "localhost")
                ) { client in
                    try await client.get("/healthz")
                }
            }
            group.cancelAll()
        }
    }

    @Test("a certificate file that holds no PEM is an error")
    func unreadableFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("isnad-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let junk = folder.appendingPathComponent("junk.pem")
        try Data("not a certificate".utf8).write(to: junk)
        #expect(throws: (any Error).self) {
            try RelayTLS.configuration(certificatePath: junk.path, privateKeyPath: junk.path)
        }
        #expect(throws: (any Error).self) {
            try RelayTLS.configuration(certificatePath: folder.appendingPathComponent("missing.pem").path, privateKeyPath: junk.path)
        }
    }
}
