import Relational
import Streams
import Testing

@Suite struct URLFunctionsTests {
    static let url = s("https://user@www.example.com:8080/a%20b/c?x=1&y=two%20words&z&x=3#frag%21")

    @Test func components() {
        expectCall("URL_EXTRACT_PROTOCOL", [Self.url], s("https"))
        expectCall("URL_EXTRACT_HOST", [Self.url], s("www.example.com"))
        expectCall("URL_EXTRACT_PORT", [Self.url], i(8080))
        expectCall("URL_EXTRACT_PATH", [Self.url], s("/a b/c"))
        expectCall("URL_EXTRACT_QUERY", [Self.url], s("x=1&y=two words&z&x=3"))
        expectCall("URL_EXTRACT_FRAGMENT", [Self.url], s("frag!"))
        let bare = s("http://test.com")
        expectCall("URL_EXTRACT_PORT", [bare], null)
        expectCall("URL_EXTRACT_PATH", [bare], s(""))
        expectCall("URL_EXTRACT_QUERY", [bare], null)
        expectCall("URL_EXTRACT_FRAGMENT", [bare], null)
        expectCall("URL_EXTRACT_PROTOCOL", [s("/relative/path")], null)
        expectCall("URL_EXTRACT_HOST", [s("/relative/path")], null)
        expectCall("URL_EXTRACT_PATH", [s("/relative/path")], s("/relative/path"))
        expectCall("URL_EXTRACT_PATH", [s("mailto:someone@example.com")], s("someone@example.com"))
        for name in [
            "URL_EXTRACT_PROTOCOL", "URL_EXTRACT_HOST", "URL_EXTRACT_PORT", "URL_EXTRACT_PATH",
            "URL_EXTRACT_QUERY", "URL_EXTRACT_FRAGMENT",
        ] {
            expectCall(name, [null], null)
            expectError(name, [s("http://bad host/")], "22P02")
        }
        expectError("URL_EXTRACT_PORT", [s("http://host:abc/")], "22P02")
        expectError("URL_EXTRACT_PATH", [s("http://host/%zz")], "22P02")
    }

    @Test func parameter() {
        expectCall("URL_EXTRACT_PARAMETER", [Self.url, s("x")], s("1"))
        expectCall("URL_EXTRACT_PARAMETER", [Self.url, s("y")], s("two words"))
        expectCall("URL_EXTRACT_PARAMETER", [Self.url, s("z")], s(""))
        expectCall("URL_EXTRACT_PARAMETER", [Self.url, s("missing")], null)
        expectCall("URL_EXTRACT_PARAMETER", [s("http://h/p"), s("x")], null)
        expectCall("URL_EXTRACT_PARAMETER", [s("http://h/p?q=a+b"), s("q")], s("a+b"))
        expectCall("URL_EXTRACT_PARAMETER", [null, s("x")], null)
        expectCall("URL_EXTRACT_PARAMETER", [Self.url, null], null)
    }

    @Test func encodeAndDecodeParameters() {
        expectCall("URL_ENCODE_PARAM", [s("a b&c=d/é*_.-~")], s("a+b%26c%3Dd%2F%C3%A9*_.-%7E"))
        expectCall("URL_DECODE_PARAM", [s("a+b%26c%3Dd%2F%C3%A9")], s("a b&c=d/é"))
        expectCall("URL_DECODE_PARAM", [s("plain")], s("plain"))
        expectCall("URL_ENCODE_PARAM", [s("")], s(""))
        expectCall("URL_ENCODE_PARAM", [null], null)
        expectCall("URL_DECODE_PARAM", [null], null)
        expectError("URL_DECODE_PARAM", [s("100%")], "22P02")
        expectError("URL_DECODE_PARAM", [s("%G1")], "22P02")
    }
}
