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

    /// Every line of `text` fits `width` terminal columns.
    func fits(_ text: String, _ width: Int) -> Bool {
        text.split(separator: "\n").allSatisfy { DisplayWidth.of($0) <= width }
    }

    @Test func theWidestColumnShrinksToFitTheTerminal() {
        let result = ResultSet(
            columns: ["id", "description"],
            rows: [["1", "a fairly long description that will not fit"], ["22", "short"]])
        let table = ResultRenderer(width: 30).table(result)
        #expect(
            table == """
                 id |       description
                ----+-------------------------
                 1  | a fairly long descript…
                 22 | short
                (2 rows)

                """)
        #expect(fits(table, 30))
    }

    @Test func wideAndCombiningValuesAreCutByDisplayWidth() {
        let accents = String(repeating: "e\u{301}", count: 12)
        let result = ResultSet(
            columns: ["k", "v"], rows: [["1", "日本語のテキストです"], ["2", "😀😀😀😀😀😀😀😀"], ["3", accents], ["4", "ok"]])
        let table = ResultRenderer(width: 14).table(result)
        #expect(
            table == """
                 k |    v
                ---+----------
                 1 | 日本語…
                 2 | 😀😀😀…
                 3 | \(String(repeating: "e\u{301}", count: 7))…
                 4 | ok
                (4 rows)

                """)
        #expect(fits(table, 14))
    }

    @Test func narrowColumnsStayWholeWhileWideOnesShareTheRest() {
        let long = String(repeating: "x", count: 40)
        let table = ResultRenderer(width: 40).table(
            ResultSet(columns: ["n", "a", "b"], rows: [["7", long, long]]))
        // 32 columns for values: 1 for `n`, 16 and 15 for the two that share the rest.
        #expect(table.split(separator: "\n")[2] == " 7 | xxxxxxxxxxxxxxx… | xxxxxxxxxxxxxx…")
        #expect(fits(table, 40))
    }

    @Test func pipedOutputIsNeverCut() {
        let long = String(repeating: "名", count: 150)
        let table = ResultRenderer().table(ResultSet(columns: ["v"], rows: [[long]]))
        #expect(table.contains(" \(long)\n"))
        #expect(!table.contains("…"))
    }

    @Test func expandedValuesWrapAtTheTerminalWidth() {
        let result = ResultSet(
            columns: ["id", "note"], rows: [["1", "名前と説明がとても長い値です"], ["2", "line one\nline two"]])
        let text = ResultRenderer(width: 20).expanded(result)
        #expect(
            text == """
                -[ RECORD 1 ]
                id   | 1
                note | 名前と説明が
                     | とても長い値
                     | です
                -[ RECORD 2 ]
                id   | 2
                note | line one
                     | line two

                """)
        #expect(fits(text, 20))
        #expect(
            ResultRenderer().expanded(ResultSet(columns: ["v"], rows: [[String(repeating: "y", count: 300)]]))
                .contains(String(repeating: "y", count: 300)))
    }

    @Test func aStreamedRowIsCutToFitButNotPadded() {
        let renderer = ResultRenderer(width: 30)
        let widths = renderer.streamWidths(["id", "item"])
        #expect(widths == [8, 8])
        #expect(
            renderer.streamRow(["1", String(repeating: "z", count: 50)], widths: widths)
                == " 1        | zzzzzzzzzzzzzzzz…\n")
        #expect(renderer.streamRow(["1", "apple"], widths: widths) == " 1        | apple\n")
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
        #expect(DisplayWidth.wrap("ab名前c", to: 3) == ["ab", "名", "前c"])
        #expect(DisplayWidth.wrap("👩‍👩‍👧x", to: 2) == ["👩‍👩‍👧", "x"])
        #expect(DisplayWidth.wrap("", to: 4) == [""])
    }
}
