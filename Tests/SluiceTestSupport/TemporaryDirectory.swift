import Glibc
import SluiceCore

/// A fresh directory under /tmp for one test; `remove()` deletes it with everything in it.
public struct TemporaryDirectory: Sendable {
    public let path: String

    public init(_ label: String = "sluice-test") {
        var template = Array("/tmp/\(label)-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed: errno \(errno)")
        path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public func remove() { try? PosixFileSystem().removeItem(path) }
}
