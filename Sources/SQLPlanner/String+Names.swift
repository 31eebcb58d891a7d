/// Name handling shared by the binder and planner, tuned for the short ASCII names SQL uses.
extension String {
    /// The string upper-cased, without allocating when it already is (unquoted identifiers and most property
    /// values are).
    var upperCasedIfNeeded: String {
        utf8.contains { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") || $0 >= 0x80 } ? uppercased() : self
    }

    /// `self == other`, comparing the UTF-8 lengths (O(1)) first: names looked up among a scope's or a result's
    /// columns mostly differ in length, which skips the string comparison.
    func isSameName(as other: String) -> Bool {
        utf8.count == other.utf8.count && self == other
    }
}
