import HTTPTypes
import IsnadStore
import IsnadWire

/// Why intake refuses a submission: a stable reason code (the ``WireError`` code where the
/// wire layer found the fault) and the HTTP status it is answered with.
///
/// | reason | status | cause |
/// |---|---|---|
/// | `wire.tooLarge` | 413 | larger than a sealed report can be |
/// | `wire.malformed`, `wire.version.unsupported`, `sealed.suite.unsupported` | 400 | truncated or not an envelope |
/// | `sealed.observatory.wrong` | 422 | sealed to another observatory key |
/// | `sealed.decryption.failed` | 422 | altered or truncated ciphertext |
/// | `crypto.key.invalid`, `report.signature.invalid` | 422 | forged or altered report |
/// | `report.schema.violation`, `report.json.*` | 422 | the report breaks the schema |
/// | `report.date.future` | 422 | dated after now plus the allowed clock skew |
/// | `duplicate` | 409 | the same signed report again |
/// | `replay` | 409 | the same sealed bytes under another submission ID |
public enum IntakeRejection {
    /// Every reason intake can give; each has a counter from the start.
    public static let reasons: [String] = [
        WireError.Code.tooLarge, .malformed, .unsupportedVersion, .unsupportedSuite, .wrongObservatory, .decryptionFailed,
        .invalidKey, .invalidSignature, .schemaViolation, .futureDate,
    ].map(\.rawValue) + [ObservatoryStoreContract.duplicateReason, ObservatoryError.Code.replay.rawValue]

    /// The HTTP status for a rejection reason.
    public static func status(forReason reason: String) -> HTTPResponse.Status {
        switch reason {
        case WireError.Code.tooLarge.rawValue: .contentTooLarge
        case WireError.Code.malformed.rawValue, WireError.Code.unsupportedVersion.rawValue, WireError.Code.unsupportedSuite.rawValue: .badRequest
        case ObservatoryStoreContract.duplicateReason, ObservatoryError.Code.replay.rawValue: .conflict
        default: .unprocessableContent
        }
    }

    /// The stored sentence for a wire error: its message and the field, never content.
    static func message(for error: WireError) -> String {
        error.field.map { "\(error.message) (\($0))" } ?? error.message
    }
}
