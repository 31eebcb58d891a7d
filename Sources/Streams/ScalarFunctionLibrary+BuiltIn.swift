import Relational
import SluiceCore

extension ScalarFunctionLibrary {
    /// Implementations of every built-in scalar function the planner's `FunctionRegistry.builtIn` declares, except
    /// TRANSFORM, FILTER and REDUCE, which the expression compiler evaluates itself because they take lambdas.
    /// Families live in `Functions/` (one file each); every body is thread-safe and may be shared by all tasks of
    /// all queries. Bodies that compile a pattern (REGEXP_*, FORMAT_*/PARSE_* and the deprecated date functions)
    /// keep a process-wide cache keyed by the pattern text, so a constant pattern is compiled once.
    public static let builtIn: ScalarFunctionLibrary = builtIn(clock: SystemClock())

    /// The built-in functions with UNIX_DATE() and UNIX_TIMESTAMP() reading `clock` instead of the system clock,
    /// for deterministic tests and simulations.
    public static func builtIn(clock: any SluiceCore.Clock) -> ScalarFunctionLibrary {
        var library = ScalarFunctionLibrary()
        NullFunctions.register(in: &library)
        NumericFunctions.register(in: &library)
        StringFunctions.register(in: &library)
        MaskFunctions.register(in: &library)
        RegexFunctions.register(in: &library)
        BytesFunctions.register(in: &library)
        CollectionFunctions.register(in: &library)
        DateTimeFunctions.register(in: &library, clock: clock)
        JSONFunctions.register(in: &library)
        URLFunctions.register(in: &library)
        return library
    }
}
