import Foundation
import PGCatalog

/// One captured client statement: its text and the `$n` parameter values the client bound.
struct CatalogFixtureStatement {
    var sql: String
    var parameters: [String?]
}

/// Fixture files under Fixtures/: statements real clients sent (captured from a PostgreSQL 15 server with
/// log_statement=all, or psql -E), separated by "-- #" lines; "-- param: v" lines before a statement give its
/// bound parameters. Placeholders `${oid:t}` / `${type:t}` stand for the oids the capture server had used.
enum CatalogFixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Fixtures")

    static var names: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".sql") }.map { String($0.dropLast(4)) }.sorted()
    }

    static func load(_ name: String, snapshot: PGCatalogSnapshot = .sample) throws -> [CatalogFixtureStatement] {
        let text = try String(contentsOf: directory.appendingPathComponent(name + ".sql"), encoding: .utf8)
        let body = text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().joined(separator: "\n")
        return try body.components(separatedBy: "\n-- #\n").map { block in
            var parameters: [String?] = []
            var lines: [String] = []
            for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("-- param: ") {
                    let v = String(line.dropFirst("-- param: ".count))
                    parameters.append(v == "NULL" ? nil : try substitute(v, snapshot))
                } else {
                    lines.append(String(line))
                }
            }
            let sql = lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            return CatalogFixtureStatement(sql: try substitute(sql, snapshot), parameters: parameters)
        }
    }

    static func substitute(_ text: String, _ snapshot: PGCatalogSnapshot) throws -> String {
        var out = text
        for r in snapshot.relations {
            for (kind, cast) in [("oid", "regclass"), ("type", "regtype")] where out.contains("${\(kind):\(r.name)}") {
                let oid =
                    try PGCatalog.execute("SELECT '\(r.name)'::\(cast)::oid", parameters: [], snapshot: snapshot).rows[
                        0][0] ?? ""
                out = out.replacingOccurrences(of: "${\(kind):\(r.name)}", with: oid)
            }
        }
        return out
    }
}

extension PGCatalogSnapshot {
    /// One TABLE `t` (key `id` bigint, `name` varchar, `amount` float8) and one STREAM `s` (`id` bigint key, `name` text),
    /// mirroring what the fixtures were captured against, plus one Sluice function.
    static let sample = PGCatalogSnapshot(
        database: "sluice", user: "alice",
        relations: [
            Relation(
                name: "t", kind: .table,
                columns: [
                    Column(name: "id", typeOID: 20, isKey: true), Column(name: "name", typeOID: 1043),
                    Column(name: "amount", typeOID: 701),
                ], topic: "t"),
            Relation(
                name: "s", kind: .stream,
                columns: [Column(name: "id", typeOID: 20, isKey: true), Column(name: "name", typeOID: 25)],
                topic: "s_topic"),
        ],
        functions: [Function(name: "ucase", argumentTypeOIDs: [25], resultTypeOID: 25)],
        settings: ["application_name": "test"])
}

extension CatalogFixture {
    /// Runs the fixture's catalog statements in order against `snapshot`, returning their results.
    static func results(_ name: String, snapshot: PGCatalogSnapshot = .sample) throws -> [PGCatalogResult] {
        try load(name, snapshot: snapshot).filter { PGCatalog.isCatalogQuery($0.sql) }.map {
            try PGCatalog.execute($0.sql, parameters: $0.parameters, snapshot: snapshot)
        }
    }

    static func oid(of relation: String, snapshot: PGCatalogSnapshot = .sample) throws -> String {
        try PGCatalog.execute("SELECT '\(relation)'::regclass::oid", parameters: [], snapshot: snapshot).rows[0][0]
            ?? ""
    }
}

extension PGCatalogResult {
    /// The values of the named column, in row order.
    func column(_ name: String) -> [String?] {
        guard let i = columns.firstIndex(where: { $0.name == name }) else { return [] }
        return rows.map { $0[i] }
    }

    func type(_ name: String) -> UInt32? { columns.first { $0.name == name }?.typeOID }
}
