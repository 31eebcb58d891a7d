import Relational

/// REGEXP_EXTRACT, REGEXP_EXTRACT_ALL, REGEXP_REPLACE and REGEXP_SPLIT_TO_ARRAY over the standard library's
/// `Regex` (run-time patterns, Unicode-scalar semantics, as Java's `Pattern` matches code points).
///
/// Argument order is ksqlDB's: the EXTRACT functions take the pattern first, REPLACE and SPLIT the string first.
/// The pattern syntax is Swift's, which accepts the common Java/PCRE syntax (classes, quantifiers, groups,
/// named groups `(?<name>…)`, anchors, `\d \w \s`, flags `(?i)`). A pattern that does not compile is 2201B.
///
/// Cost: compiling a pattern is far more expensive than matching, so compiled patterns are kept in a
/// process-wide cache keyed by the pattern text (`PatternCache`, a lock and a dictionary lookup a row).
/// A group number beyond the pattern's groups gives NULL; a group that did not participate gives NULL.
enum RegexFunctions {
    /// A compiled pattern and its number of capture groups.
    struct Compiled: @unchecked Sendable {
        // `Regex<AnyRegexOutput>` is an immutable value (its compiled program is never mutated after
        // construction), so sharing it across threads is safe; the standard library does not yet declare it
        // Sendable for `AnyRegexOutput`.
        let regex: Regex<AnyRegexOutput>
        let groupCount: Int
    }

    static let cache = PatternCache<Compiled>()

    static func compiled(_ pattern: String) throws(EvaluationError) -> Compiled {
        try cache.value(for: pattern) { (text) throws(EvaluationError) -> Compiled in
            do {
                let regex = try Regex(text).matchingSemantics(.unicodeScalar)
                return Compiled(regex: regex, groupCount: groupCount(text))
            } catch {
                throw EvaluationError("2201B", "invalid regular expression '\(text)': \(error)")
            }
        }
    }

    /// Counts capturing groups: `(` not escaped, not in a class, and not `(?` other than a named group.
    static func groupCount(_ pattern: String) -> Int {
        let bytes = Array(pattern.utf8)
        var count = 0
        var index = 0
        var inClass = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if inClass {
                if byte == UInt8(ascii: "]") { inClass = false }
            } else if byte == UInt8(ascii: "[") {
                inClass = true
            } else if byte == UInt8(ascii: "(") {
                if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "?") {
                    let next = index + 2 < bytes.count ? bytes[index + 2] : 0
                    let after = index + 3 < bytes.count ? bytes[index + 3] : 0
                    if next == UInt8(ascii: "P") || next == UInt8(ascii: "'")
                        || (next == UInt8(ascii: "<") && after != UInt8(ascii: "=") && after != UInt8(ascii: "!"))
                    {
                        count += 1
                    }
                } else {
                    count += 1
                }
            }
            index += 1
        }
        return count
    }

    static func register(in library: inout ScalarFunctionLibrary) {
        library.register(
            "REGEXP_EXTRACT",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                guard let pattern = a.string(0), let text = a.string(1) else { return .null }
                let group = a.has(2) ? a.integer(2) ?? 0 : 0
                let compiled = try compiled(pattern)
                guard group >= 0, group <= compiled.groupCount, let match = text.firstMatch(of: compiled.regex) else {
                    return .null
                }
                return groupValue(match, Int(group))
            })
        library.register(
            "REGEXP_EXTRACT_ALL",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                guard let pattern = a.string(0), let text = a.string(1) else { return .null }
                let group = a.has(2) ? a.integer(2) ?? 0 : 0
                let compiled = try compiled(pattern)
                guard group >= 0, group <= compiled.groupCount else { return .null }
                return .array(text.matches(of: compiled.regex).map { groupValue($0, Int(group)) })
            })
        library.register(
            "REGEXP_REPLACE",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                guard let text = a.string(0), let pattern = a.string(1), let replacement = a.string(2) else {
                    return .null
                }
                return .string(try replace(text, try compiled(pattern), replacement))
            })
        library.register(
            "REGEXP_SPLIT_TO_ARRAY",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                guard let text = a.string(0), let pattern = a.string(1) else { return .null }
                if pattern.isEmpty { return .array(text.unicodeScalars.map { .string(String($0)) }) }
                return .array(split(text, try compiled(pattern)).map { .string($0) })
            })
    }

    static func groupValue(_ match: Regex<AnyRegexOutput>.Match, _ group: Int) -> Value {
        guard group < match.output.count, let substring = match.output[group].substring else { return .null }
        return .string(String(substring))
    }

    /// Replaces every match; the replacement may refer to groups as `$n` or `${name}`, and `\` quotes the next
    /// character (Java's `Matcher.replaceAll`). A reference to a missing group is 22023.
    static func replace(_ text: String, _ compiled: Compiled, _ replacement: String) throws(EvaluationError) -> String {
        var result = ""
        var last = text.startIndex
        for match in text.matches(of: compiled.regex) {
            result += text[last..<match.range.lowerBound]
            try appendReplacement(replacement, match, to: &result)
            last = match.range.upperBound
        }
        result += text[last...]
        return result
    }

    static func appendReplacement(_ replacement: String, _ match: Regex<AnyRegexOutput>.Match, to result: inout String)
        throws(EvaluationError)
    {
        let scalars = Array(replacement.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\\" {
                guard index + 1 < scalars.count else {
                    throw FunctionSupport.invalid("REGEXP_REPLACE: trailing '\\' in the replacement")
                }
                result.unicodeScalars.append(scalars[index + 1])
                index += 2
            } else if scalar == "$" {
                index += 1
                var groupText: Substring?
                if index < scalars.count, scalars[index] == "{" {
                    guard let close = scalars[index...].firstIndex(of: "}") else {
                        throw FunctionSupport.invalid("REGEXP_REPLACE: unclosed '${' in the replacement")
                    }
                    let name = TextSupport.string(scalars[(index + 1)..<close])
                    guard let element = match.output[name] else {
                        throw FunctionSupport.invalid("REGEXP_REPLACE: no group named '\(name)'")
                    }
                    groupText = element.substring
                    index = close + 1
                } else {
                    var number = 0
                    var digits = 0
                    while index < scalars.count,
                        let digit = scalars[index].properties.numericType == .decimal
                            ? Int(String(scalars[index])) : nil, digits < 9
                    {
                        let candidate = number * 10 + digit
                        if digits > 0, candidate >= match.output.count { break }
                        number = candidate
                        digits += 1
                        index += 1
                    }
                    guard digits > 0 else {
                        throw FunctionSupport.invalid("REGEXP_REPLACE: '$' not followed by a group")
                    }
                    guard number < match.output.count else {
                        throw FunctionSupport.invalid("REGEXP_REPLACE: no group \(number)")
                    }
                    groupText = match.output[number].substring
                }
                if let groupText { result += groupText }
            } else {
                result.unicodeScalars.append(scalar)
                index += 1
            }
        }
    }

    /// Splits around matches, keeping empty pieces, except that a zero-width match at the start yields no
    /// leading empty piece (Java's `Pattern.split` with a negative limit).
    static func split(_ text: String, _ compiled: Compiled) -> [String] {
        var pieces: [String] = []
        var last = text.startIndex
        for match in text.matches(of: compiled.regex) {
            if match.range.isEmpty && match.range.lowerBound == text.startIndex { continue }
            if match.range.isEmpty && match.range.lowerBound == text.endIndex { continue }
            pieces.append(String(text[last..<match.range.lowerBound]))
            last = match.range.upperBound
        }
        pieces.append(String(text[last...]))
        return pieces
    }
}
