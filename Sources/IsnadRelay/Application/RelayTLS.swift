import NIOSSL

/// The relay's optional TLS: a certificate chain and its private key, both PEM files.
public enum RelayTLS {
    /// A server TLS configuration read from PEM files.
    ///
    /// - Parameters:
    ///   - certificatePath: The certificate chain, leaf first (a PEM file with one or more certificates).
    ///   - privateKeyPath: The leaf certificate's private key (PEM, unencrypted).
    /// - Throws: NIOSSL's error when a file cannot be read or holds no PEM certificate or key.
    public static func configuration(certificatePath: String, privateKeyPath: String) throws -> TLSConfiguration {
        let chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
        guard !chain.isEmpty else { throw NIOSSLError.failedToLoadCertificate }
        let key = try NIOSSLPrivateKey(file: privateKeyPath, format: .pem)
        return TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
    }
}
