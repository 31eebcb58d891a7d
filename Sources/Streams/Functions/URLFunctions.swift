import Relational

/// The URL functions (sql-features.md §5, "URLs"), parsing as java.net.URI does for ksqlDB:
/// `scheme:[//[userinfo@]host[:port]]path[?query][#fragment]`.
///
/// - URL_EXTRACT_* give NULL for an absent component (PATH gives '' for `http://host`); PATH, QUERY and
///   FRAGMENT are percent-decoded, HOST and PROTOCOL are not. URL_EXTRACT_PORT is NULL without a port.
/// - URL_EXTRACT_PARAMETER(url, name) splits the percent-decoded query on `&` and returns the value of the first
///   `name=value` pair ('' for a bare `name`), NULL when absent, as ksqlDB does (so `+` stays a plus).
/// - A URL with spaces, control characters, `"<>\^`{|}`, a bad `%` escape or a non-numeric port is 22P02.
/// - URL_ENCODE_PARAM / URL_DECODE_PARAM are application/x-www-form-urlencoded over UTF-8 (Java's
///   URLEncoder/URLDecoder: letters, digits and `.-*_` stay, space is `+`).
enum URLFunctions {
    static func register(in library: inout ScalarFunctionLibrary) {
        library.register(
            "URL_ENCODE_PARAM",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                a.string(0).map { .string(formEncode($0)) } ?? .null
            })
        library.register(
            "URL_DECODE_PARAM",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                guard let text = a.string(0) else { return .null }
                return .string(try percentDecode(text, plusIsSpace: true))
            })
        component("URL_EXTRACT_FRAGMENT", in: &library) { (url) throws(EvaluationError) in
            try url.fragment.map { (f) throws(EvaluationError) in .string(try percentDecode(f, plusIsSpace: false)) }
                ?? .null
        }
        component("URL_EXTRACT_HOST", in: &library) { (url) throws(EvaluationError) in
            url.host.map { .string($0) } ?? .null
        }
        component("URL_EXTRACT_PATH", in: &library) { (url) throws(EvaluationError) in
            .string(try percentDecode(url.path, plusIsSpace: false))
        }
        component("URL_EXTRACT_PORT", in: &library) { (url) throws(EvaluationError) in
            url.port.map { .int($0) } ?? .null
        }
        component("URL_EXTRACT_PROTOCOL", in: &library) { (url) throws(EvaluationError) in
            url.scheme.map { .string($0) } ?? .null
        }
        component("URL_EXTRACT_QUERY", in: &library) { (url) throws(EvaluationError) in
            try url.query.map { (q) throws(EvaluationError) in .string(try percentDecode(q, plusIsSpace: false)) }
                ?? .null
        }
        library.register(
            "URL_EXTRACT_PARAMETER",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                guard let text = a.string(0), let name = a.string(1) else { return .null }
                guard let raw = try ParsedURL(text).query else { return .null }
                let query = try percentDecode(raw, plusIsSpace: false)
                for pair in StringFunctions.splitString(query, on: "&") {
                    let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                    guard parts[0].utf8.elementsEqual(name.utf8) else { continue }
                    return .string(parts.count > 1 ? String(parts[1]) : "")
                }
                return .null
            })
    }

    static func component(
        _ name: String, in library: inout ScalarFunctionLibrary,
        _ extract: @escaping @Sendable (ParsedURL) throws(EvaluationError) -> Value
    ) {
        library.register(
            name,
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                guard let text = a.string(0) else { return .null }
                return try extract(try ParsedURL(text))
            })
    }

    /// The components of a URI reference (raw, still percent-encoded).
    struct ParsedURL {
        var scheme: String?
        var host: String?
        var port: Int32?
        var path = ""
        var query: String?
        var fragment: String?

        init(_ text: String) throws(EvaluationError) {
            let invalid = EvaluationError("22P02", "invalid URL: '\(text)'")
            for byte in text.utf8 where byte <= 0x20 || byte == 0x7F || Array("\"<>\\^`{|}".utf8).contains(byte) {
                throw invalid
            }
            var rest = Substring(text)
            if let hash = rest.firstIndex(of: "#") {
                fragment = String(rest[rest.index(after: hash)...])
                rest = rest[..<hash]
            }
            if let question = rest.firstIndex(of: "?") {
                query = String(rest[rest.index(after: question)...])
                rest = rest[..<question]
            }
            if let colon = rest.firstIndex(of: ":"), !rest[..<colon].contains("/"), colon != rest.startIndex {
                let candidate = rest[..<colon]
                guard let initial = candidate.first, initial.isLetter,
                    candidate.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) })
                else { throw invalid }
                scheme = String(candidate)
                rest = rest[rest.index(after: colon)...]
            }
            if rest.hasPrefix("//") {
                rest = rest.dropFirst(2)
                let end = rest.firstIndex(of: "/") ?? rest.endIndex
                var authority = rest[..<end]
                rest = rest[end...]
                if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
                if let colon = authority.lastIndex(of: ":"), !authority[colon...].contains("]") {
                    let portText = authority[authority.index(after: colon)...]
                    if !portText.isEmpty {
                        guard portText.allSatisfy({ $0.isASCII && $0.isNumber }), let p = Int32(portText) else {
                            throw invalid
                        }
                        port = p
                    }
                    authority = authority[..<colon]
                }
                host = authority.isEmpty ? nil : String(authority)
            }
            path = String(rest)
        }
    }

    static let unreserved: [Bool] = (0..<256).map { byte in
        let b = UInt8(byte)
        return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
            || b == UInt8(ascii: ".") || b == UInt8(ascii: "-") || b == UInt8(ascii: "*") || b == UInt8(ascii: "_")
    }

    static func formEncode(_ text: String) -> String {
        var out: [UInt8] = []
        let upperHex = Array("0123456789ABCDEF".utf8)
        for byte in text.utf8 {
            if unreserved[Int(byte)] {
                out.append(byte)
            } else if byte == 0x20 {
                out.append(UInt8(ascii: "+"))
            } else {
                out += [UInt8(ascii: "%"), upperHex[Int(byte >> 4)], upperHex[Int(byte & 15)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes `%XX` escapes (and `+` as a space for form data); a bad escape is 22P02.
    static func percentDecode(_ text: String, plusIsSpace: Bool) throws(EvaluationError) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "%") || (plusIsSpace && $0 == UInt8(ascii: "+")) }) else {
            return text
        }
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.count, let high = BytesFunctions.hexValue(bytes[index + 1]),
                    let low = BytesFunctions.hexValue(bytes[index + 2])
                else { throw EvaluationError("22P02", "invalid percent-encoding in '\(text)'") }
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(plusIsSpace && byte == UInt8(ascii: "+") ? 0x20 : byte)
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
