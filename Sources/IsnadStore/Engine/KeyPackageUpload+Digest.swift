import Crypto
import Foundation

extension KeyPackageUpload {
    /// SHA-256 of the bytes: the engines' key for not storing the same KeyPackage twice.
    public var digest: Data { Data(SHA256.hash(data: bytes)) }
}
