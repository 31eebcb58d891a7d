import Testing

@testable import Shell

@Suite struct ResultRendererTests {
    let result = ResultSet(columns: ["id", "name"], rows: [["1", "a"], ["2", nil], ["3", "名前"], ["4", "é😀"]])

    @Test func alignedTableWithNullWideAndEmojiValues() {
        #expect(
            ResultRenderer().table(result) == """
                 id | name
                ----+------
                 1  | a
                 2  | NULL
                 3  | 名前
                 4  | é😀
                (4 rows)

                """)
    }

    @Test func longValuesAreTruncatedToTheColumnLimit() {
        let renderer = ResultRenderer(maxColumnWidth: 6)
        let table = renderer.table(ResultSet(columns: ["v"], rows: [["abcdefghij"], ["日本語テキスト"]]))
        #expect(
            table == """
                   v
                --------
                 abcde…
                 日本…
                (2 rows)

                """)
    }

    @Test func oneRowFooterIsSingular() {
        #expect(ResultRenderer().table(ResultSet(columns: ["x"], rows: [["1"]])).hasSuffix("(1 row)\n"))
    }

    @Test func expandedRecords() {
        #expect(
            ResultRenderer().expanded(ResultSet(columns: ["id", "long_name"], rows: [["1", nil]])) == """
                -[ RECORD 1 ]-
                id        | 1
                long_name | NULL

                """)
    }

    @Test func csvQuotesAndNulls() {
        let csv = ResultRenderer().csv(ResultSet(columns: ["a", "b"], rows: [["x,y", nil], ["say \"hi\"", ""]]))
        #expect(csv == "a,b\n\"x,y\",\n\"say \"\"hi\"\"\",\"\"\n")
    }

    @Test func jsonLinesEscapeAndNull() {
        let json = ResultRenderer().json(ResultSet(columns: ["a", "b"], rows: [["q\"\n\u{1}", nil]]))
        #expect(json == "{\"a\":\"q\\\"\\n\\u0001\",\"b\":null}\n")
    }

    @Test func streamedRowsAlignUnderTheHeader() {
        let renderer = ResultRenderer()
        let widths = renderer.streamWidths(["id", "a_long_column_name"])
        #expect(widths == [8, 18])
        #expect(
            renderer.streamHeader(["id", "a_long_column_name"], widths: widths)
                == "    id    | a_long_column_name\n----------+--------------------\n")
        #expect(renderer.streamRow(["1", nil], widths: widths) == " 1        | NULL\n")
    }

    @Test func colourOnlyWhenAsked() {
        #expect(!ResultRenderer().table(result).contains("\u{1B}"))
        #expect(ResultRenderer(color: true).table(result).contains("\u{1B}[2mNULL"))
    }

    @Test func displayWidths() {
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.of("名前") == 4)
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.of("👩‍👩‍👧") == 2)
        #expect(DisplayWidth.truncate("名前名前", to: 5) == "名前…")
    }
}
