/// A duration written `n unit`, as in `SIZE 1 HOUR` or `WITHIN 10 SECONDS`.
public struct WindowDuration: Hashable, Sendable {
    public var value: Int64
    public var unit: TimeUnit
    public var span: SourceSpan

    public init(_ value: Int64, _ unit: TimeUnit, span: SourceSpan = .synthetic) {
        self.value = value
        self.unit = unit
        self.span = span
    }

    /// The duration in milliseconds, or nil if it overflows 64 bits.
    public var milliseconds: Int64? {
        let (product, overflow) = value.multipliedReportingOverflow(by: unit.milliseconds)
        return overflow ? nil : product
    }
}
