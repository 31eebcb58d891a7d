enum URLFunctions {
    static func register(in library: inout ScalarFunctionLibrary) {}
}
