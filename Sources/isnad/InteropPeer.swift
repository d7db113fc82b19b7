import ArgumentParser
import Foundation
import IsnadMLS

/// `isnad interop-peer`: drives Isnad's MLS from another implementation over JSON lines
/// (protocol in docs/interop.md).
struct InteropPeer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interop-peer",
        abstract: "Speak the JSON-lines interop protocol of docs/interop.md on stdin/stdout (suite 0x0001).",
        shouldDisplay: true
    )

    func run() throws {
        var peer = InteropSession()
        while let line = readLine() {
            guard !line.isEmpty else { continue }
            let (answer, quit) = peer.handle(line)
            // Written unbuffered, so the driver sees each answer at once.
            FileHandle.standardOutput.write(Data((answer + "\n").utf8))
            if quit { return }
        }
    }
}

/// The state of one interop session: KeyPackages waiting to be used and groups, by handle.
struct InteropSession {
    var generator = SystemRandomNumberGenerator()
    var keyPackages: [String: KeyPackageBundle] = [:]
    var groups: [String: Group] = [:]
    var nextHandle = 0
    let provider: CipherSuiteProvider = {
        do { return try CipherSuiteProvider(.x25519AES128GCMSHA256Ed25519) } catch { fatalError("suite 0x0001 is always supported") }
    }()

    struct Failure: Error { let message: String }

    mutating func handle(_ line: String) -> (String, Bool) {
        var id: Any = NSNull()
        var quit = false
        var answer: [String: Any]
        do {
            guard let data = line.data(using: .utf8), let request = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw Failure(message: "the request is not a JSON object")
            }
            id = request["id"] ?? NSNull()
            guard let op = request["op"] as? String else { throw Failure(message: "the request has no \"op\"") }
            if op == "quit" { quit = true }
            answer = try perform(op, request)
            answer["ok"] = true
        } catch let failure as Failure {
            answer = ["ok": false, "error": failure.message]
        } catch {
            answer = ["ok": false, "error": "\(error)"]
        }
        answer["id"] = id
        let data = (try? JSONSerialization.data(withJSONObject: answer, options: [.sortedKeys])) ?? Data("{\"ok\":false}".utf8)
        return (String(decoding: data, as: UTF8.self), quit)
    }

    mutating func makeHandle(_ prefix: String) -> String {
        nextHandle += 1
        return "\(prefix)-\(nextHandle)"
    }

    func bytes(_ request: [String: Any], _ key: String) throws -> [UInt8] {
        guard let text = request[key] as? String, let data = Data(base64Encoded: text) else {
            throw Failure(message: "\"\(key)\" is missing or not base64")
        }
        return Array(data)
    }

    func string(_ request: [String: Any], _ key: String) throws -> String {
        guard let text = request[key] as? String else { throw Failure(message: "\"\(key)\" is missing or not a string") }
        return text
    }

    func group(_ request: [String: Any]) throws -> (String, Group) {
        let handle = try string(request, "group")
        guard let group = groups[handle] else { throw Failure(message: "no group has the handle \(handle)") }
        return (handle, group)
    }

    static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

    mutating func perform(_ op: String, _ request: [String: Any]) throws -> [String: Any] {
        let now = UInt64(Date().timeIntervalSince1970)
        switch op {
        case "quit":
            return [:]
        case "create_key_package":
            let identity = try string(request, "identity")
            let bundle = try KeyPackageBundle.make(provider, credential: .basic(identity: Array(identity.utf8)), now: now, using: &generator)
            let handle = makeHandle("kp")
            keyPackages[handle] = bundle
            return ["key_package": Self.base64(MLSMessage.keyPackage(bundle.keyPackage).encoded), "key_package_id": handle]
        case "create_group":
            let identity = try string(request, "identity")
            let bundle = try KeyPackageBundle.make(provider, credential: .basic(identity: Array(identity.utf8)), now: now, using: &generator)
            let handle = makeHandle("group")
            groups[handle] = try Group(creating: try bytes(request, "group_id"), creator: bundle, using: &generator)
            return ["group": handle]
        case "add_members":
            let (handle, group) = try group(request)
            guard let list = request["key_packages"] as? [String] else { throw Failure(message: "\"key_packages\" is missing") }
            let proposals: [Proposal] = try list.map {
                guard let data = Data(base64Encoded: $0), case .keyPackage(let keyPackage) = try MLSMessage(decoding: Array(data)) else {
                    throw Failure(message: "a key package is not a base64 MLSMessage(KeyPackage)")
                }
                return .add(keyPackage)
            }
            var options = CommitOptions()
            options.ratchetTreeInWelcome = request["ratchet_tree_in_welcome"] as? Bool ?? true
            options.now = now
            let pending = try group.commit(proposals, options: options, using: &generator)
            groups[handle] = pending.group
            guard let welcome = pending.welcome else { throw Failure(message: "the commit added nobody") }
            return ["commit": Self.base64(pending.message.encoded), "welcome": Self.base64(MLSMessage.welcome(welcome).encoded),
                    "ratchet_tree": Self.base64(pending.ratchetTree.encoded)]
        case "join":
            let kpHandle = try string(request, "key_package_id")
            guard let bundle = keyPackages[kpHandle] else { throw Failure(message: "no key package has the handle \(kpHandle)") }
            guard case .welcome(let welcome) = try MLSMessage(decoding: try bytes(request, "welcome")) else {
                throw Failure(message: "\"welcome\" is not an MLSMessage(Welcome)")
            }
            let tree = try (request["ratchet_tree"] as? String).map { _ in try RatchetTreeNodes(decoding: try bytes(request, "ratchet_tree")) }
            let handle = makeHandle("group")
            groups[handle] = try Group(welcome: welcome, keyPackage: bundle, ratchetTree: tree)
            keyPackages[kpHandle] = nil
            return ["group": handle]
        case "commit":
            let (handle, group) = try group(request)
            let pending = try group.commit(using: &generator)
            groups[handle] = pending.group
            return ["commit": Self.base64(pending.message.encoded)]
        case "remove_members":
            let (handle, group) = try group(request)
            guard let leaves = request["leaves"] as? [Int] else { throw Failure(message: "\"leaves\" is missing") }
            let pending = try group.commit(leaves.map { .remove(LeafIndex(UInt32($0))) }, using: &generator)
            groups[handle] = pending.group
            return ["commit": Self.base64(pending.message.encoded)]
        case "process":
            var (handle, group) = try group(request)
            let result = try group.process(try MLSMessage(decoding: try bytes(request, "message")))
            groups[handle] = group
            switch result {
            case .application(let data, _, _, _): return ["kind": "application", "data": Self.base64(data)]
            case .proposal: return ["kind": "proposal"]
            case .commit(let summary): return ["kind": "commit", "removed_me": summary.removedMe]
            }
        case "encrypt":
            var (handle, group) = try group(request)
            let message = try group.encrypt(try bytes(request, "data"), using: &generator)
            groups[handle] = group
            return ["message": Self.base64(message.encoded)]
        case "export_secret":
            let (_, group) = try group(request)
            guard let length = request["length"] as? Int, length > 0, length < 65536 else { throw Failure(message: "\"length\" must be 1 to 65535") }
            let secret = group.export(label: try string(request, "label"), context: try bytes(request, "context"), length: length)
            return ["secret": secret.withUnsafeBytes { Self.base64(Array($0)) }]
        case "state":
            let (_, group) = try group(request)
            return ["epoch": group.epoch, "epoch_authenticator": group.epochAuthenticator.withUnsafeBytes { Self.base64(Array($0)) },
                    "members": group.members.map { Int($0.rawValue) }, "my_leaf": Int(group.myLeaf.rawValue)]
        default:
            throw Failure(message: "unknown op \"\(op)\"")
        }
    }
}
