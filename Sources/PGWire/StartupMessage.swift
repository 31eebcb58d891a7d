import NIOCore

/// The untyped first packet of protocol 3.0: Int32 length, Int32 version 196608, then name/value String
/// pairs ended by an empty name. PostgreSQL protocol docs, "StartupMessage (F)" and "Start-up".
public struct StartupMessage: Sendable, Hashable {
    public static let protocolVersion3: Int32 = 196_608

    public var protocolVersion: Int32
    /// Parameters by name (user, database, options, application_name, client_encoding, …).
    public var parameters: [String: String]

    public init(protocolVersion: Int32 = StartupMessage.protocolVersion3, parameters: [String: String]) {
        self.protocolVersion = protocolVersion
        self.parameters = parameters
    }

    public var user: String? { parameters["user"] }

    /// The minor protocol version asked for (3.x); Sluice speaks 3.0.
    public var minorVersion: Int32 { protocolVersion & 0xFFFF }

    /// Protocol options (`_pq_.` parameters), which Sluice recognises none of.
    public var protocolOptions: [String] { parameters.keys.filter { $0.hasPrefix("_pq_.") }.sorted() }
    /// The database, which defaults to the user name, as PostgreSQL does.
    public var database: String? { parameters["database"] ?? parameters["user"] }

    /// Settings from the `options` parameter's command-line switches (`-c name=value`, `-cname=value`,
    /// `--name=value`), with backslash escaping a space, as libpq's PGOPTIONS and psql pass them.
    public var optionSettings: [(name: String, value: String)] {
        StartupMessage.parseOptions(parameters["options"] ?? "")
    }

    /// Decodes the body after the version field has been read.
    public static func decode(version: Int32, from buffer: inout ByteBuffer) throws(PGError) -> StartupMessage {
        var parameters: [String: String] = [:]
        while true {
            let name = try buffer.readCString()
            if name.isEmpty { break }
            parameters[name] = try buffer.readCString()
        }
        try buffer.expectFullyRead("StartupMessage")
        return StartupMessage(protocolVersion: version, parameters: parameters)
    }

    /// Encodes the whole packet, length included (the client side, for tests).
    public func encode(into buffer: inout ByteBuffer) {
        let start = buffer.writerIndex
        buffer.writeInteger(Int32(0))
        buffer.writeInteger(protocolVersion)
        for (name, value) in parameters.sorted(by: { $0.key < $1.key }) {
            buffer.writeCString(name)
            buffer.writeCString(value)
        }
        buffer.writeInteger(UInt8(0))
        buffer.setInteger(Int32(buffer.writerIndex - start), at: start)
    }

    static func parseOptions(_ options: String) -> [(name: String, value: String)] {
        var settings: [(String, String)] = []
        var words = splitOptionWords(options)[...]
        while let word = words.popFirst() {
            var assignment: String?
            if word == "-c" {
                assignment = words.popFirst()
            } else if word.hasPrefix("--") {
                assignment = String(word.dropFirst(2))
            } else if word.hasPrefix("-c") {
                assignment = String(word.dropFirst(2))
            }
            guard let assignment, let equals = assignment.firstIndex(of: "=") else { continue }
            let name = assignment[..<equals].replacingDashes()
            settings.append((name, String(assignment[assignment.index(after: equals)...])))
        }
        return settings
    }

    private static func splitOptionWords(_ options: String) -> [String] {
        var words: [String] = []
        var current = ""
        var escaped = false
        for character in options {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == " " || character == "\t" {
                if !current.isEmpty { words.append(current) }
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }
}

extension Substring {
    /// PostgreSQL accepts `--client-encoding=x` for `client_encoding`.
    fileprivate func replacingDashes() -> String { String(map { $0 == "-" ? "_" : $0 }) }
}
