#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Testing

@testable import SQLSyntax

/// Shared helpers: locating Grammar/, extracting examples, and the round-trip check.
enum TestSupport {
    /// The package root, found from this file's path (Tests/SQLSyntaxTests/TestSupport.swift).
    static var packageRoot: String {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }

    static func read(_ relativePath: String) -> String? {
        let path = packageRoot + "/" + relativePath
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count <= 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Every `-- example:` line of Grammar/sluice.ebnf.
    static func grammarExamples() -> [String] {
        guard let text = read("Grammar/sluice.ebnf") else { return [] }
        let marker = "-- example: "
        return text.split(separator: "\n").compactMap { line in
            line.hasPrefix(marker) ? String(line.dropFirst(marker.count)) : nil
        }
    }

    /// Parses `sql` as one statement, unparses it, parses the text again, and checks both ASTs are equal and
    /// that the canonical text is a fixed point. Returns the AST.
    @discardableResult
    static func roundTrip(_ sql: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Statement
    {
        let statement = try Parser.parseStatement(sql)
        let canonical = Unparser.sql(statement)
        let reparsed: Statement
        do {
            reparsed = try Parser.parseStatement(canonical)
        } catch {
            Issue.record("canonical text does not parse: \(canonical)\n\(error)", sourceLocation: sourceLocation)
            throw error
        }
        #expect(
            reparsed == statement, "round trip changed the AST of: \(sql)\ncanonical: \(canonical)",
            sourceLocation: sourceLocation)
        #expect(
            Unparser.sql(reparsed) == canonical, "canonical text is not a fixed point: \(canonical)",
            sourceLocation: sourceLocation)
        return statement
    }
}
