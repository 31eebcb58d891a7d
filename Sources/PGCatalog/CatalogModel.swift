/// The objects the system relations describe, with their oids, derived once per statement from a snapshot.
///
/// Oid scheme (README.md): schemas pg_catalog 11, public 2200, information_schema 13000; built-in types keep
/// PostgreSQL's oids; system relations and built-in functions get fixed oids from tables in this file; each
/// Sluice object gets FNV-1a("kind:name") folded into 16384…2³¹−1, probing upward on a collision in sorted key order.
struct CatalogModel {
    static let pgCatalog: UInt32 = 11
    static let publicSchema: UInt32 = 2200
    static let informationSchema: UInt32 = 13000
    static let userOID: UInt32 = 10
    static let databaseOID: UInt32 = 16383
    static let btreeAM: UInt32 = 403
    static let heapAM: UInt32 = 2

    struct RelationEntry {
        var oid: UInt32
        var name: String
        var namespace: UInt32
        /// PostgreSQL relkind: 'r' table, 'v' view, 'i' index.
        var kind: String
        var columns: [PGCatalogSnapshot.Column]
        var rowType: UInt32 = 0
        var arrayType: UInt32 = 0
        var indexOID: UInt32 = 0
        var constraintOID: UInt32 = 0
        /// For an index: the relation it indexes.
        var indexedRelation: UInt32 = 0
        var description: String?
        var keyAttnums: [Int] {
            columns.indices.filter { columns[$0].isKey }.map { $0 + 1 }
        }
    }

    struct ProcEntry {
        var oid: UInt32
        var name: String
        var namespace: UInt32
        var arguments: [UInt32]
        var result: UInt32
        /// 'f' function, 'a' aggregate, 'w' window.
        var kind: String
        var returnsSet: Bool
    }

    let snapshot: PGCatalogSnapshot
    private(set) var relations: [RelationEntry] = []
    private(set) var types: [PGBuiltinType] = PGBuiltinType.all
    private(set) var procs: [ProcEntry] = []
    private(set) var relationIndex: [UInt32: Int] = [:]
    private(set) var typeIndex: [UInt32: Int] = [:]
    private(set) var procIndex: [UInt32: Int] = [:]
    let settings: [String: String]

    init(snapshot: PGCatalogSnapshot) {
        self.snapshot = snapshot
        let given = Dictionary(snapshot.settings.map { (CatalogSettings.key($0.key), $0.value) }) { _, last in last }
        settings = CatalogSettings.defaults(for: snapshot).merging(given) { _, new in new }
        var oids = UserOIDAllocator()
        addSystemRelations()
        addUserRelations(&oids)
        addProcs(&oids)
        relationIndex = Dictionary(relations.indices.map { (relations[$0].oid, $0) }, uniquingKeysWith: { a, _ in a })
        typeIndex = Dictionary(types.indices.map { (types[$0].oid, $0) }, uniquingKeysWith: { a, _ in a })
        procIndex = Dictionary(procs.indices.map { (procs[$0].oid, $0) }, uniquingKeysWith: { a, _ in a })
    }

    static func namespaceName(_ oid: UInt32) -> String? {
        switch oid {
        case pgCatalog: return "pg_catalog"
        case publicSchema: return "public"
        case informationSchema: return "information_schema"
        default: return nil
        }
    }

    static func namespaceOID(_ name: String) -> UInt32? {
        switch name {
        case "pg_catalog": return pgCatalog
        case "public": return publicSchema
        case "information_schema": return informationSchema
        default: return nil
        }
    }

    func relation(_ oid: UInt32) -> RelationEntry? { relationIndex[oid].map { relations[$0] } }
    func type(_ oid: UInt32) -> PGBuiltinType? { typeIndex[oid].map { types[$0] } }
    func proc(_ oid: UInt32) -> ProcEntry? { procIndex[oid].map { procs[$0] } }

    /// A relation by (optional schema, name), searching pg_catalog then public when unqualified.
    func relation(named name: String, schema: String?) -> RelationEntry? {
        let spaces =
            schema.map { [CatalogModel.namespaceOID($0) ?? 0] } ?? [CatalogModel.pgCatalog, CatalogModel.publicSchema]
        for ns in spaces {
            if let r = relations.first(where: { $0.name == name && $0.namespace == ns }) { return r }
        }
        return nil
    }

    func proc(named name: String) -> ProcEntry? { procs.first { $0.name == name } }

    // MARK: - Building

    private mutating func addSystemRelations() {
        for (i, table) in CatalogSystemTables.all.enumerated() {
            let ns = table.schema == "pg_catalog" ? CatalogModel.pgCatalog : CatalogModel.informationSchema
            let oid = table.wellKnownOID ?? UInt32(12000 + i)
            let columns = table.columns.map { PGCatalogSnapshot.Column(name: $0.0, typeOID: $0.1) }
            relations.append(
                RelationEntry(
                    oid: oid, name: table.name, namespace: ns, kind: table.isView ? "v" : "r", columns: columns))
        }
    }

    private mutating func addUserRelations(_ oids: inout UserOIDAllocator) {
        let sorted = snapshot.relations.sorted { $0.name < $1.name }
        var keys: [String] = []
        for r in sorted {
            keys += ["relation:" + r.name, "type:" + r.name, "arraytype:" + r.name]
            if r.kind == .table, r.columns.contains(where: \.isKey) {
                keys += ["index:" + r.name, "constraint:" + r.name]
            }
        }
        oids.allocate(keys)
        for r in sorted {
            var entry = RelationEntry(
                oid: oids["relation:" + r.name], name: r.name, namespace: CatalogModel.publicSchema,
                kind: r.kind == .table ? "r" : "v", columns: r.columns)
            entry.columns = r.columns.map { c in
                var c = c
                if c.isKey && r.kind == .table { c.notNull = true }
                return c
            }
            entry.rowType = oids["type:" + r.name]
            entry.arrayType = oids["arraytype:" + r.name]
            entry.description = r.comment ?? "topic \(r.topic)"
            if r.kind == .table, r.columns.contains(where: \.isKey) {
                entry.indexOID = oids["index:" + r.name]
                entry.constraintOID = oids["constraint:" + r.name]
                let keyColumns = entry.columns.filter(\.isKey)
                relations.append(
                    RelationEntry(
                        oid: entry.indexOID, name: r.name + "_pkey", namespace: CatalogModel.publicSchema, kind: "i",
                        columns: keyColumns, indexedRelation: entry.oid))
            }
            relations.append(entry)
            addRowTypes(for: entry)
        }
    }

    private mutating func addRowTypes(for r: RelationEntry) {
        types.append(
            PGBuiltinType(
                oid: r.rowType, name: r.name, sqlName: r.name, length: -1, category: "C", element: 0,
                array: r.arrayType,
                input: "record_in", output: "record_out", type: "c"))
        types.append(
            PGBuiltinType(
                oid: r.arrayType, name: "_" + r.name, sqlName: r.name + "[]", length: -1, category: "A",
                element: r.rowType,
                array: 0, input: "array_in", output: "array_out"))
    }

    private mutating func addProcs(_ oids: inout UserOIDAllocator) {
        var next: UInt32 = 9000
        var seen = Set<String>()
        for f in CatalogFunctionCatalog.builtins where seen.insert(f.name).inserted {
            procs.append(
                ProcEntry(
                    oid: next, name: f.name, namespace: CatalogModel.pgCatalog, arguments: f.arguments,
                    result: f.result,
                    kind: f.kind, returnsSet: f.returnsSet))
            next += 1
        }
        for t in PGBuiltinType.all {
            for name in [t.input, t.output] where seen.insert(name).inserted {
                let isInput = name == t.input
                let generic = name.hasPrefix("array_") ? PGTypeOID.anyarray : t.oid
                procs.append(
                    ProcEntry(
                        oid: next, name: name, namespace: CatalogModel.pgCatalog,
                        arguments: isInput ? [2275] : [generic],
                        result: isInput ? generic : 2275, kind: "f", returnsSet: false))
                next += 1
            }
        }
        let functions = snapshot.functions
        let keys = functions.map { Self.functionKey($0) }
        oids.allocate(keys.sorted())
        for (f, key) in zip(functions, keys) {
            procs.append(
                ProcEntry(
                    oid: oids[key], name: f.name, namespace: CatalogModel.publicSchema, arguments: f.argumentTypeOIDs,
                    result: f.resultTypeOID, kind: f.kind == .aggregate ? "a" : "f", returnsSet: f.kind == .table))
        }
    }

    private static func functionKey(_ f: PGCatalogSnapshot.Function) -> String {
        "function:\(f.name)(\(f.argumentTypeOIDs.map(String.init).joined(separator: ",")))"
    }
}

/// Hands out stable oids for Sluice objects: FNV-1a of the key into 16384…2³¹−1, the next free oid on collision.
struct UserOIDAllocator {
    private var assigned: [String: UInt32] = [:]
    private var taken: Set<UInt32> = []
    static let first: UInt32 = 16384
    static let last: UInt32 = 0x7FFF_FFFF

    mutating func allocate(_ keys: [String]) {
        for key in keys.sorted() where assigned[key] == nil {
            var oid = Self.first + Self.fnv1a(key) % (Self.last - Self.first + 1)
            while taken.contains(oid) { oid = oid == Self.last ? Self.first : oid + 1 }
            taken.insert(oid)
            assigned[key] = oid
        }
    }

    subscript(key: String) -> UInt32 { assigned[key] ?? 0 }

    static func fnv1a(_ s: String) -> UInt32 {
        var h: UInt32 = 2_166_136_261
        for b in s.utf8 {
            h ^= UInt32(b)
            h = h &* 16_777_619
        }
        return h
    }
}
