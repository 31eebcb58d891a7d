import PGCatalog
import PGWire
import Relational
import SQLPlanner

/// The PostgreSQL catalog queries of clients (psql's `\d`, pgjdbc's DatabaseMetaData, driver type introspection,
/// pgcli's completion): recognised by `PGCatalog.isCatalogQuery`, run by `PGCatalog` over a snapshot of the engine's
/// streams (views) and tables, and turned into PostgreSQL-typed results.
///
/// Names: Sluice folds unquoted identifiers to upper case, PostgreSQL to lower case, and psql matches `\d name` with
/// a case-sensitive regular expression. The catalog therefore shows an all-upper-case name in lower case (as
/// RowDescription already does for result columns), and any other name as it is.
enum CatalogQueries {
    static func answer(_ sql: String, parameters: [String?] = [], catalog: Catalog, user: String, settings: [String: String])
        throws -> (columns: [PGColumn], rows: [[PGCell]])
    {
        let snapshot = Self.snapshot(catalog, user: user, settings: settings)
        let result: PGCatalogResult
        do {
            result = try PGCatalog.execute(sql, parameters: parameters, snapshot: snapshot)
        } catch {
            throw PGError(error.sqlState, error.message, position: error.position)
        }
        let types = result.columns.map { type(oid: $0.typeOID) }
        let columns = zip(result.columns, types).map { PGColumn(name: $0.name, type: $1) }
        let rows = zip(result.rows, result.oids).map { row, oids in
            row.indices.map { i in cell(row[i], types[i], oid: oids[i]) }
        }
        return (columns, rows)
    }

    static func snapshot(_ catalog: Catalog, user: String, settings: [String: String]) -> PGCatalogSnapshot {
        let relations = catalog.sources.values.sorted { $0.name < $1.name }.map { source in
            PGCatalogSnapshot.Relation(
                name: PGValueMapping.postgresName(source.name), kind: source.kind == .table ? .table : .stream,
                columns: source.schema.columns.filter { $0.role != .pseudo }.map { column in
                    PGCatalogSnapshot.Column(name: PGValueMapping.postgresName(column.name), typeOID: PGValueMapping.type(of: column.type).oid,
                                             isKey: column.role == .key, notNull: column.role == .key && source.kind == .table)
                },
                topic: source.topic)
        }
        let functions = catalog.functions.names.compactMap { name -> PGCatalogSnapshot.Function? in
            guard let description = catalog.functions[name] else { return nil }
            let kind: PGCatalogSnapshot.Function.Kind = description.kind == .aggregate ? .aggregate : description.kind == .table ? .table : .scalar
            let signature = description.signatures.first
            return PGCatalogSnapshot.Function(
                name: name.lowercased(), argumentTypeOIDs: signature?.parameters.map(oid) ?? [],
                resultTypeOID: signature.map { oid($0.returns) } ?? anyElement, kind: kind)
        }
        return PGCatalogSnapshot(database: "sluice", user: user, relations: relations, functions: functions, settings: settings)
    }

    /// `anyelement`: what a generic parameter or result shows as in `\df`.
    static let anyElement: UInt32 = 2283

    private static func oid(_ parameter: ParameterType) -> UInt32 {
        if case .exact(let type) = parameter { return PGValueMapping.type(of: type).oid }
        return anyElement
    }

    private static func oid(_ returns: ReturnType) -> UInt32 {
        if case .fixed(let type) = returns { return PGValueMapping.type(of: type).oid }
        return anyElement
    }

    // MARK: - Values

    /// Catalog-only types (name, "char", regclass, oidvector …) travel as text in text format; in binary, the
    /// oid-like ones (oid, regproc, regclass, regtype) as their 4-byte number, the others as the text's bytes.
    static func type(oid: UInt32) -> PGType {
        if let builtin = PGType.named(oid: oid) { return builtin }
        let catalogTypes: [UInt32: (String, Int16)] = [
            18: ("char", 1), 19: ("name", 64), 22: ("int2vector", -1), 24: ("regproc", 4), 30: ("oidvector", -1),
            1033: ("aclitem", 12), 2205: ("regclass", 4), 2206: ("regtype", 4), 2283: ("anyelement", 4),
            1002: ("_char", -1), 1003: ("_name", -1), 1034: ("_aclitem", -1),
        ]
        let (name, size) = catalogTypes[oid] ?? ("text", -1)
        return PGType(oid: oid, name: name, size: size)
    }

    /// `oid`: the number behind an oid-typed value (a regclass's text is the relation's name), for binary format.
    static func cell(_ text: String?, _ type: PGType, oid: UInt32? = nil) -> PGCell {
        guard let text else { return .null }
        switch type.oid {
        case PGType.bool.oid: return .bool(text == "t" || text == "true")
        case PGType.int2.oid: return Int16(text).map(PGCell.int2) ?? .text(text)
        case PGType.int4.oid: return Int32(text).map(PGCell.int4) ?? .text(text)
        case PGType.int8.oid: return Int64(text).map(PGCell.int8) ?? .text(text)
        case PGType.float4.oid: return Float(text).map(PGCell.float4) ?? .text(text)
        case PGType.float8.oid: return Double(text).map(PGCell.float8) ?? .text(text)
        default:
            if type.elementOID != 0, let elements = arrayElements(text) {
                let element = PGType.named(oid: type.elementOID) ?? .text
                return .array(element: element, elements.map { cell($0, element) })
            }
            return .catalog(type, text, oid: oid)
        }
    }

    /// The elements of a one-dimensional array literal (`{a,"b c",NULL}`), or nil if it is not one.
    static func arrayElements(_ text: String) -> [String?]? {
        guard text.hasPrefix("{"), text.hasSuffix("}") else { return nil }
        var elements: [String?] = []
        var current = ""
        var quoted = false
        var wasQuoted = false
        var escaped = false
        for character in text.dropFirst().dropLast() {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                quoted.toggle()
                wasQuoted = true
            } else if character == "," && !quoted {
                elements.append(!wasQuoted && current == "NULL" ? nil : current)
                current = ""
                wasQuoted = false
            } else {
                current.append(character)
            }
        }
        if text.count > 2 { elements.append(!wasQuoted && current == "NULL" ? nil : current) }
        return elements
    }
}
