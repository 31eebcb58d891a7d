import Testing

@testable import SQLSyntax

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Every statement in `Queries/**/*.sql` (the example pipelines that run as tests, DESIGN.md) must parse and
/// survive the unparser round trip. The folder may not exist yet; then there is nothing to check.
@Suite struct QueriesCorpusTests {
    static func sqlFiles(under relativePath: String) -> [String] {
        let root = TestSupport.packageRoot + "/" + relativePath
        guard let directory = opendir(root) else { return [] }
        defer { closedir(directory) }
        var files: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasPrefix(".") { continue }
            let child = relativePath + "/" + name
            if name.hasSuffix(".sql") {
                files.append(child)
            } else if entry.pointee.d_type == UInt8(DT_DIR) {
                files += sqlFiles(under: child)
            }
        }
        return files.sorted()
    }

    @Test func everyStatementInQueriesRoundTrips() throws {
        for file in Self.sqlFiles(under: "Queries") {
            let text = try #require(TestSupport.read(file))
            let split = StatementSplitter.split(text)
            var previousEnd = 0
            for piece in split.statements + (split.remainder.map { [$0] } ?? []) {
                // Statements a file expects to be syntax errors (`-- expect error 42601` before them) are skipped.
                let before = String(decoding: Array(text.utf8)[previousEnd..<piece.start.offset], as: UTF8.self)
                previousEnd = piece.start.offset + piece.text.utf8.count
                if before.contains("-- expect error 42601") { continue }
                do {
                    try TestSupport.roundTrip(piece.text)
                } catch {
                    Issue.record("\(file):\(piece.start.line): \(error)")
                }
            }
        }
    }

    @Test func walkerFindsSQLFilesRecursively() {
        #expect(Self.sqlFiles(under: "Grammar") == [])
        #expect(Self.sqlFiles(under: "Tests/SQLSyntaxTests") == ["Tests/SQLSyntaxTests/Golden/examples.canonical.sql"])
    }
}
