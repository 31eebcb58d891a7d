/// A constant. Numbers keep their source text so that no literal can overflow in the parser; the binder
/// decides INT, BIGINT, DECIMAL or DOUBLE (and reports values out of range) when it types the literal.
public enum Literal: Hashable, Sendable {
    case null
    case boolean(Bool)
    /// Digits only, e.g. `42`. Negative numbers are a unary minus over the literal, except in WITH properties.
    case integer(String)
    /// Digits with a decimal point and no exponent, e.g. `1.50` (ksqlDB types these DECIMAL).
    case decimal(String)
    /// A number with an exponent, e.g. `1.5E3` (DOUBLE).
    case double(String)
    /// The string's value, with `''` already reduced to `'`.
    case string(String)
}
