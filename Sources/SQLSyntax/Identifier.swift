/// A name in its canonical form: an unquoted identifier is upper-cased (ASCII letters only), a quoted one
/// (`` `x` `` or `"x"`) keeps its case. Whether it was quoted is not kept: `` `FOO` `` and `foo` are the same
/// name. The unparser quotes a name when it has to (lower-case letters, odd characters, any keyword).
public struct Identifier: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public var value: String
    public var span: SourceSpan

    public init(_ value: String, span: SourceSpan = .synthetic) {
        self.value = value
        self.span = span
    }

    public init(stringLiteral value: String) { self.init(value) }

    public var description: String { value }
}
