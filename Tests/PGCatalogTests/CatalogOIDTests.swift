import PGCatalog
import Testing

@Suite struct CatalogOIDTests {
    private func oids(_ snapshot: PGCatalogSnapshot) throws -> [String: String] {
        let r = try PGCatalog.execute(
            "SELECT relname, oid FROM pg_class WHERE relnamespace = 2200", parameters: [], snapshot: snapshot)
        return Dictionary(uniqueKeysWithValues: r.rows.map { ($0[0] ?? "", $0[1] ?? "") })
    }

    @Test func oidsSurviveOtherRelationsComingAndGoing() throws {
        let before = try oids(.sample)
        var bigger = PGCatalogSnapshot.sample
        bigger.relations.insert(
            .init(name: "a", kind: .stream, columns: [.init(name: "x", typeOID: 25)], topic: "a"), at: 0)
        let after = try oids(bigger)
        #expect(after["t"] == before["t"])
        #expect(after["s"] == before["s"])
        #expect(after["t_pkey"] == before["t_pkey"])
        for (_, oid) in after { #expect((UInt32(oid) ?? 0) >= 16384) }
        #expect(Set(after.values).count == after.count)
    }
}
