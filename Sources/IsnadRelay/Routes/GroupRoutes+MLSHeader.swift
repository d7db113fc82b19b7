import Foundation
import IsnadMLS
import IsnadStore

/// The relay's cross-check of a commit against its own MLS framing (RFC 9420 §6).
///
/// The relay still decrypts and verifies nothing: it reads only the fields every MLS message
/// carries in the clear — the wire format, and for a handshake message its `group_id`, `epoch`
/// and `content_type` (§6.2, §6.3) — so that a client cannot sequence bytes for another group
/// or epoch, or a non-commit, as a group's next commit.
///
/// ```
/// commit bytes ─ MLSMessage ─┬─ PublicMessage:  content.group_id, content.epoch, content.content_type
///                            └─ PrivateMessage: group_id, epoch, content_type
///                  must equal: the path's group, the stated `epoch`, commit
/// welcome bytes ─ MLSMessage ─ wire format mls_welcome
/// ```
extension GroupRoutes {
    /// The header fields the relay reads from a commit.
    struct CommitHeader {
        var groupID: [UInt8]
        var epoch: UInt64
        var contentType: ContentType
    }

    /// Checks that `bytes` is a PublicMessage or PrivateMessage carrying a commit for `group` at `epoch`.
    /// - Throws: ``RelayError/Code/malformedMLS`` if the bytes are no MLSMessage,
    ///   ``RelayError/Code/mlsHeaderMismatch`` if its framing disagrees with the request.
    static func checkCommit(_ bytes: Data, group: GroupID, epoch: UInt64) throws {
        let header: CommitHeader
        switch try decodeMLSMessage(bytes, field: "commit") {
        case .publicMessage(let message):
            header = CommitHeader(groupID: message.content.groupID, epoch: message.content.epoch, contentType: message.content.content.type)
        case .privateMessage(let message):
            header = CommitHeader(groupID: message.groupID, epoch: message.epoch, contentType: message.contentType)
        case let other:
            throw RelayError(.mlsHeaderMismatch, "`commit` is an MLS \(name(of: other.wireFormat)), not a PublicMessage or PrivateMessage.")
        }
        guard header.contentType == .commit else {
            throw RelayError(.mlsHeaderMismatch, "`commit` carries MLS content of type \(header.contentType), not a commit.")
        }
        // Group IDs are identifiers: the detail names neither.
        guard header.groupID.elementsEqual(group.bytes) else {
            throw RelayError(.mlsHeaderMismatch, "`commit` is framed for another group than the one in the path.")
        }
        guard header.epoch == epoch else {
            throw RelayError(.mlsHeaderMismatch, "`commit` is framed for epoch \(header.epoch), but `epoch` says \(epoch).")
        }
    }

    /// Checks that `bytes` is an MLSMessage with wire format `mls_welcome`.
    static func checkWelcome(_ bytes: Data) throws {
        let message = try decodeMLSMessage(bytes, field: "welcome.message")
        guard case .welcome = message else {
            throw RelayError(.mlsHeaderMismatch, "`welcome.message` is an MLS \(name(of: message.wireFormat)), not a Welcome.")
        }
    }

    private static func decodeMLSMessage(_ bytes: Data, field: String) throws -> MLSMessage {
        do {
            return try MLSMessage(decoding: [UInt8](bytes))
        } catch let error as MLSError {
            // MLSError codes and messages carry no secrets or identifiers, only positions and field names.
            throw RelayError(.malformedMLS, "`\(field)` does not decode as an RFC 9420 MLSMessage (\(error.code)).", underlying: error)
        } catch {
            throw RelayError(.malformedMLS, "`\(field)` does not decode as an RFC 9420 MLSMessage.", underlying: error)
        }
    }

    private static func name(of wireFormat: WireFormat) -> String {
        switch wireFormat {
        case .publicMessage: "PublicMessage"
        case .privateMessage: "PrivateMessage"
        case .welcome: "Welcome"
        case .groupInfo: "GroupInfo"
        case .keyPackage: "KeyPackage"
        default: "message of wire format \(wireFormat.rawValue)"
        }
    }
}
