import Relational
import Streams
import Testing

@Suite struct RegexFunctionsTests {
    @Test func extract() {
        expectCall("REGEXP_EXTRACT", [s("\\d+"), s("ab 123 45")], s("123"))
        expectCall("REGEXP_EXTRACT", [s("(\\w+)@(\\w+)"), s("mail bob@host now"), i(2)], s("host"))
        expectCall("REGEXP_EXTRACT", [s("(a)|(b)"), s("b"), i(1)], null)
        expectCall("REGEXP_EXTRACT", [s("(a)"), s("a"), i(2)], null)
        expectCall("REGEXP_EXTRACT", [s("x"), s("abc")], null)
        expectCall("REGEXP_EXTRACT", [s("."), s("🙂x")], s("🙂"))
        expectCall("REGEXP_EXTRACT", [null, s("abc")], null)
        expectCall("REGEXP_EXTRACT", [s("a"), null], null)
        expectError("REGEXP_EXTRACT", [s("(unclosed"), s("abc")], "2201B")
    }

    @Test func extractAll() {
        expectCall("REGEXP_EXTRACT_ALL", [s("\\d+"), s("a1b22c333")], strings("1", "22", "333"))
        expectCall("REGEXP_EXTRACT_ALL", [s("(\\w)(\\d)"), s("a1 b2"), i(2)], strings("1", "2"))
        expectCall("REGEXP_EXTRACT_ALL", [s("z"), s("abc")], .array([]))
        expectCall("REGEXP_EXTRACT_ALL", [s("(?<name>a)"), s("aa"), i(1)], strings("a", "a"))
        expectCall("REGEXP_EXTRACT_ALL", [null, s("abc")], null)
        expectError("REGEXP_EXTRACT_ALL", [s("[a-"), s("abc")], "2201B")
    }

    @Test func replace() {
        expectCall("REGEXP_REPLACE", [s("aaa bbb"), s("b+"), s("c")], s("aaa c"))
        expectCall("REGEXP_REPLACE", [s("john smith"), s("(\\w+) (\\w+)"), s("$2, $1")], s("smith, john"))
        expectCall("REGEXP_REPLACE", [s("a.b"), s("\\."), s("\\$")], s("a$b"))
        expectCall("REGEXP_REPLACE", [s("abc"), s("x"), s("y")], s("abc"))
        expectCall("REGEXP_REPLACE", [s("ab"), s("(?<x>a)"), s("[${x}]")], s("[a]b"))
        expectCall("REGEXP_REPLACE", [null, s("a"), s("b")], null)
        expectError("REGEXP_REPLACE", [s("abc"), s("*"), s("x")], "2201B")
        expectError("REGEXP_REPLACE", [s("abc"), s("a"), s("$3")], "22023")
    }

    @Test func splitToArray() {
        expectCall("REGEXP_SPLIT_TO_ARRAY", [s("a1b22c"), s("\\d+")], strings("a", "b", "c"))
        expectCall("REGEXP_SPLIT_TO_ARRAY", [s("1a1"), s("1")], strings("", "a", ""))
        expectCall("REGEXP_SPLIT_TO_ARRAY", [s("abc"), s("")], strings("a", "b", "c"))
        expectCall("REGEXP_SPLIT_TO_ARRAY", [s("abc"), s("x")], strings("abc"))
        expectCall("REGEXP_SPLIT_TO_ARRAY", [null, s("x")], null)
        expectError("REGEXP_SPLIT_TO_ARRAY", [s("abc"), s("(")], "2201B")
    }

    @Test func cachedPatternsGiveTheSameAnswers() {
        for _ in 0..<3 { expectCall("REGEXP_EXTRACT", [s("[0-9]"), s("x9")], s("9")) }
    }
}

@Suite struct RegexCacheTests {
    /// Many tasks, more distinct patterns than the cache holds (so it is emptied while others read it): every
    /// answer stays right.
    @Test func concurrentCallsWithEvictionGiveTheRightAnswers() async {
        let failures = await withTaskGroup(of: Int.self) { group in
            for task in 0..<4 {
                group.addTask {
                    var wrong = 0
                    for k in 0..<600 {
                        let n = (k * 7 + task) % 300
                        let result = try? Fn.call("REGEXP_EXTRACT", [s("a(\\d+)b\(n)"), s("xa42b\(n)y"), i(1)])
                        if result != s("42") { wrong += 1 }
                    }
                    return wrong
                }
            }
            return await group.reduce(0, +)
        }
        #expect(failures == 0)
    }
}

extension RegexCacheTests {
    @Test func aBadPatternFailsEveryTime() {
        for _ in 0..<3 { expectError("REGEXP_REPLACE", [s("abc"), s("a{2,1}"), s("x")], "2201B") }
    }
}
