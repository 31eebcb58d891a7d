/// SQL's three-valued logic over `Bool?`, where nil is NULL (UNKNOWN).
///
/// Truth tables (SQL:2016 §6.39, PostgreSQL §9.1): FALSE AND NULL is FALSE, TRUE OR NULL is TRUE,
/// NOT NULL is NULL; every other combination with NULL is NULL.
public enum ThreeValuedLogic {
    @inlinable
    public static func and(_ lhs: Bool?, _ rhs: Bool?) -> Bool? {
        if lhs == false || rhs == false { return false }
        if lhs == nil || rhs == nil { return nil }
        return true
    }

    @inlinable
    public static func or(_ lhs: Bool?, _ rhs: Bool?) -> Bool? {
        if lhs == true || rhs == true { return true }
        if lhs == nil || rhs == nil { return nil }
        return false
    }

    @inlinable
    public static func not(_ value: Bool?) -> Bool? {
        value.map { !$0 }
    }

    /// Whether a WHERE/HAVING/ON predicate keeps the row: only TRUE does (NULL drops it).
    @inlinable
    public static func isTrue(_ value: Bool?) -> Bool { value == true }
}

extension Value {
    /// This value as a three-valued truth value: `.boolean(b)` is b, NULL is nil. Other cases are a
    /// planner bug (predicates are type-checked BOOLEAN).
    public var truthValue: Bool? {
        switch self {
        case .boolean(let value): return value
        case .null: return nil
        default: preconditionFailure("truthValue of non-boolean \(self)")
        }
    }

    /// `.boolean` or `.null` for a three-valued result.
    public init(truth: Bool?) {
        self = truth.map(Value.boolean) ?? .null
    }
}
